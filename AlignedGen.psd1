# Module manifest of AlignedGen, the PowerShell face of the AlignedGen library (decoding-time alignment of language
# models over ONNX). The binary module is staged into module/AlignedGen/ by building
# module/AlignedGen.PowerShell (see build/setup.sh); import this file from the repository root:
#   dotnet tool run pwsh -c "Import-Module ./AlignedGen.psd1"
@{
    # A nested (not root) binary module, so that PowerShell looks for its MAML help
    # (AlignedGen.PowerShell.dll-Help.xml) next to the staged dll.
    NestedModules        = @('module/AlignedGen/AlignedGen.PowerShell.dll')
    # The model builder (its own assembly, not part of the runtime library) for the embedded demo model:
    # [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel() in offline examples.
    RequiredAssemblies   = @('module/AlignedGen/AlignedGen.ModelBuilding.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c6d2e-5a43-4c1b-9d67-2f1a8e3b7c41'
    Author               = 'AlignedGen contributors'
    CompanyName          = 'AlignedGen'
    Copyright            = '(c) AlignedGen contributors. MIT License.'
    Description          = 'Decoding-time alignment for language models over ONNX: tokenizers, reward-guided decoding (ARGS), Best-of-N, DARWIN, JSON Lines data, quality metrics, strategy comparisons and HTML reports.'
    # The cmdlet assembly targets .NET 10, which PowerShell 7.6 is the first release to run on.
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/AlignedGen/AlignedGen.Format.ps1xml')
    CmdletsToExport      = @(
        'Import-JsonLines'
        'Export-JsonLines'
        'Get-OnnxModelInfo'
        'ConvertTo-TokenId'
        'ConvertFrom-TokenId'
        'Import-AlignedModel'
        'Import-RewardModel'
        'New-ProxyReward'
        'New-CompositeReward'
        'New-ScriptReward'
        'Invoke-RewardGuidedDecode'
        'Invoke-DarwinDecode'
        'Measure-Reward'
        'ConvertTo-PreferencePair'
        'Export-PreferencePair'
        'Invoke-RewardRelabel'
        'Merge-RelabelShard'
        'Measure-AlignmentQuality'
        'Compare-DecodingStrategy'
        'Export-AlignmentReport'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('LLM', 'ONNX', 'alignment', 'decoding', 'JSONL')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
