<#
.SYNOPSIS
    Imports a model and a reward model by their Hugging Face Hub ids and decodes with ARGS.

.DESCRIPTION
    Import-AlignedModel -Repository and Import-RewardModel -Repository download the model folders into the Hugging
    Face cache (HF_HOME/hub, shared with Python's huggingface_hub; only the ONNX graph, its external data, configs and
    tokenizer files) with a progress bar, or find them there without a request. The prompts are then decoded greedily
    and with ARGS, and the two answers are shown side by side with their rewards.
    Gated or private repositories need a token: $env:HF_TOKEN = 'hf_...' (or `hf auth login`). Set
    $env:HF_HUB_OFFLINE = 1 to use only what is cached.

.EXAMPLE
    pwsh examples/hub-session.ps1 -Repository onnx-community/SmolLM2-135M-Instruct-ONNX-GQA -RewardRepository org/reward-model-onnx

.EXAMPLE
    # A variant of an onnxruntime-genai repository:
    pwsh examples/hub-session.ps1 -Repository microsoft/Phi-3-mini-4k-instruct-onnx -Subfolder cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4 `
        -RewardRepository org/reward-model-onnx -Prompt 'Write a haiku about rain.'
#>
[CmdletBinding()]
param(
    # The language model's Hub repository (org/name).
    [Parameter(Mandatory)][string] $Repository,
    # The reward model's Hub repository (org/name).
    [Parameter(Mandatory)][string] $RewardRepository,
    # The folder of the model variant inside -Repository, when it has several.
    [string] $Subfolder,
    # Branch, tag or commit of -Repository (default main).
    [string] $Revision,
    # The prompts to decode.
    [string[]] $Prompt = @('Once upon a time', 'The little dog'),
    [int] $MaxNewTokens = 32,
    # ARGS reward weight w.
    [double] $Weight = 1.5
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module AlignedGen)) { Import-Module (Join-Path $PSScriptRoot '..' 'AlignedGen.psd1') }

$modelArguments = @{ Repository = $Repository }
if ($Subfolder) { $modelArguments.Subfolder = $Subfolder }
if ($Revision) { $modelArguments.Revision = $Revision }
$model = Import-AlignedModel @modelArguments
$reward = Import-RewardModel -Repository $RewardRepository
try {
    Write-Verbose "model: $($model.Folder)"
    $greedy = @($Prompt | Invoke-RewardGuidedDecode -Model $model -RewardModel $reward -Strategy Greedy -MaxNewTokens $MaxNewTokens)
    $guided = @($Prompt | Invoke-RewardGuidedDecode -Model $model -RewardModel $reward -Strategy Args -Weight $Weight -MaxNewTokens $MaxNewTokens)
    for ($i = 0; $i -lt $Prompt.Count; $i++) {
        [pscustomobject]@{
            Prompt       = $Prompt[$i]
            Greedy       = $greedy[$i].Response
            GreedyReward = $greedy[$i].Reward
            Args         = $guided[$i].Response
            ArgsReward   = $guided[$i].Reward
        }
    }
} finally {
    $model.Dispose()
    $reward.Dispose()
}
