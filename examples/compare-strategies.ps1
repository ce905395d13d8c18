<#
.SYNOPSIS
    Compares decoding strategies on a JSON Lines prompt set and writes an HTML report.

.DESCRIPTION
    Runs Compare-DecodingStrategy over the first -First prompts of -PromptPath (a .jsonl file whose rows have a
    "prompt" (or "instruction") field and optionally "id" and "reference") with every -Setting, guided by
    -GuidingReward and judged by -HeldOutReward, writes the comparison folder to -OutputFolder (comparison.json,
    responses/*.jsonl, summary.md, summary.csv), then Export-AlignmentReport writes report.html and charts/*.png into the
    same folder. The summary table is printed and the FileInfo of report.html is the script's output.

.EXAMPLE
    pwsh examples/compare-strategies.ps1 -PromptPath ../shared/data/story-prompts.jsonl -Model ../shared/models/stories260K `
        -GuidingReward ../shared/models/rm-llama-cached -HeldOutReward ../shared/models/rm-wordpiece -First 16 -OutputFolder out/compare

.EXAMPLE
    # Offline, with the embedded demo model and rule rewards (letters e guide, letters o judge):
    Import-Module ./AlignedGen.psd1
    $demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    $e = New-ScriptReward { param($Prompt, $Response) ([regex]::Matches($Response, 'e')).Count }
    $o = New-ScriptReward { param($Prompt, $Response) ([regex]::Matches($Response, 'o')).Count }
    ./examples/compare-strategies.ps1 -PromptPath prompts.jsonl -Model $demo -GuidingReward $e -HeldOutReward $o `
        -Setting greedy, 'args w=1', 'args w=4' -MaxNewTokens 16 -NoCoherence -OutputFolder out/demo-compare
#>
[CmdletBinding()]
param(
    # The prompt set: JSON Lines with a "prompt" (or "instruction") field, optionally "id" and "reference".
    [Parameter(Mandatory)][string] $PromptPath,
    # A model folder or an object from Import-AlignedModel.
    [Parameter(Mandatory)][object] $Model,
    # The reward ARGS, Best-of-N and DARWIN are guided by: a reward model folder or a reward object.
    [Parameter(Mandatory)][object] $GuidingReward,
    # A second reward the strategies never see (the honest judge, used for win/tie/loss); optional but recommended.
    [object] $HeldOutReward,
    # Where the comparison files and the report go (created when missing; files replaced).
    [Parameter(Mandatory)][string] $OutputFolder,
    # Setting specs; the default: greedy, Best-of-4 and ARGS at three weights.
    [string[]] $Setting = @('greedy', 'best-of-4', 'args w=0.5', 'args w=1', 'args w=2'),
    # Only the first N prompts (0 = all).
    [int] $First = 16,
    [int] $MaxNewTokens = 64,
    [int] $Seed = 1,
    # Page title of the report.
    [string] $Title = 'Decoding strategies compared',
    # Skip coherence (no sentence-embedder load).
    [switch] $NoCoherence
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module AlignedGen)) { Import-Module (Join-Path $PSScriptRoot '..' 'AlignedGen.psd1') }

# Load each model once when folders were given (Compare-DecodingStrategy would also load folders itself).
$owned = @()
if ($Model -is [string]) { $Model = Import-AlignedModel $Model; $owned += $Model }
if ($GuidingReward -is [string]) { $GuidingReward = Import-RewardModel $GuidingReward; $owned += $GuidingReward }
if ($HeldOutReward -is [string]) { $HeldOutReward = Import-RewardModel $HeldOutReward; $owned += $HeldOutReward }
try {
    $rows = Import-JsonLines $PromptPath
    if ($First -gt 0) { $rows = $rows | Select-Object -First $First }
    $compare = @{
        Model         = $Model
        Setting       = $Setting
        GuidingReward = $GuidingReward
        MaxNewTokens  = $MaxNewTokens
        Seed          = $Seed
        OutputFolder  = $OutputFolder
        NoCoherence   = $NoCoherence
    }
    if ($HeldOutReward) { $compare.HeldOutReward = $HeldOutReward }
    $summaries = $rows | Compare-DecodingStrategy @compare
    $summaries | Format-Table | Out-String -Width 160 | Write-Host
    Export-AlignmentReport -Path $OutputFolder -Title $Title
}
finally {
    foreach ($item in $owned) { $item.Dispose() }
}
