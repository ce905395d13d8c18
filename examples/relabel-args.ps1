<#
.SYNOPSIS
    Relabels a JSON Lines prompt set with ARGS and exports preference pairs.

.DESCRIPTION
    For every row of -InputPath (a .jsonl file whose rows have a "prompt" field and optionally an "id"), generates
    -Samples responses with ARGS-stochastic reward-guided decoding, scores them with the reward, and writes one
    chosen/rejected pair per prompt (the best and the worst of its samples) to -OutputPath as JSON Lines:
    {"prompt_id", "prompt", "chosen", "rejected", "score_chosen", "score_rejected"} (prompt_id is the row's id). With -ResponsesPath every generated
    response is written there too. Prompts whose samples all score the same give no pair.

.EXAMPLE
    pwsh examples/relabel-args.ps1 -InputPath ../shared/data/story-prompts.jsonl -OutputPath pairs.jsonl `
        -Model ../shared/models/stories260K -RewardModel ../shared/models/rm-llama-cached -Samples 4 -First 50

.EXAMPLE
    # Offline, with the embedded demo model and the proxy reward:
    Import-Module ./AlignedGen.psd1
    $demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    ./examples/relabel-args.ps1 -InputPath prompts.jsonl -OutputPath pairs.jsonl -Model $demo -RewardModel (New-ProxyReward) -Weight 100
#>
[CmdletBinding()]
param(
    # The prompt set: JSON Lines with a "prompt" field (and optionally "id").
    [Parameter(Mandatory)][string] $InputPath,
    # Where the preference pairs go (JSON Lines; overwritten).
    [Parameter(Mandatory)][string] $OutputPath,
    # A model folder or an object from Import-AlignedModel.
    [Parameter(Mandatory)][object] $Model,
    # A reward model folder or a reward object (Import-RewardModel, New-ProxyReward, New-ScriptReward, New-CompositeReward).
    [Parameter(Mandatory)][object] $RewardModel,
    # Responses sampled per prompt (at least 2).
    [ValidateRange(2, 64)][int] $Samples = 4,
    # ARGS reward weight and candidates per step.
    [double] $Weight = 1.0,
    [int] $CandidateCount = 10,
    [double] $Temperature = 0.7,
    [int] $MaxNewTokens = 64,
    [int] $Seed = 1,
    # Least score difference for a pair.
    [double] $Margin = 0,
    # Only the first N prompts (0 = all).
    [int] $First = 0,
    # Optional: also write every generated response here.
    [string] $ResponsesPath
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module AlignedGen)) { Import-Module (Join-Path $PSScriptRoot '..' 'AlignedGen.psd1') }

# Load each model once when folders were given.
if ($Model -is [string]) { $Model = Import-AlignedModel $Model }
if ($RewardModel -is [string]) { $RewardModel = Import-RewardModel $RewardModel }

$rows = Import-JsonLines $InputPath
if ($First -gt 0) { $rows = $rows | Select-Object -First $First }

# Every prompt $Samples times, under one id per prompt so the samples group together.
$index = 0
$requests = foreach ($row in $rows) {
    $id = if ($null -ne $row.id) { "$($row.id)" } else { "$index" }
    for ($s = 0; $s -lt $Samples; $s++) { [pscustomobject]@{ Id = $id; Prompt = $row.prompt } }
    $index++
}

$responses = $requests | Invoke-RewardGuidedDecode -Model $Model -RewardModel $RewardModel -Strategy ArgsStochastic `
    -Weight $Weight -CandidateCount $CandidateCount -Temperature $Temperature -MaxNewTokens $MaxNewTokens -Seed $Seed
if ($ResponsesPath) { $responses | Select-Object Id, Prompt, Response, Reward, FinishReason | Export-JsonLines $ResponsesPath }

# ARGS reports the reward of each final response; rescore with Measure-Reward if your strategy does not.
$responses | Export-PreferencePair $OutputPath -GroupBy Id -Margin $Margin
