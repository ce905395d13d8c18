# Tab completion of strategy names (Invoke-RewardGuidedDecode -Strategy) and setting specs (Compare-DecodingStrategy
# -Setting), both from the core's StrategyRegistry, as a user's Tab (TabExpansion2) sees them.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Registry = [AlignedGen.Decoding.StrategyRegistry]::Default
    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe '-Strategy completion' {
    It 'lists every registered strategy from the registry, each with a tooltip saying what it does and whether it needs a reward' {
        $found = Get-Completion 'Invoke-RewardGuidedDecode -Strategy '
        $found.CompletionText | Should -Be @($Registry.Descriptors.PascalName | Sort-Object)
        foreach ($descriptor in $Registry.Descriptors) {
            $tip = ($found | Where-Object CompletionText -EQ $descriptor.PascalName).ToolTip
            $tip | Should -BeLike "$($descriptor.Summary)*"
            $tip | Should -BeLike $(if ($descriptor.Default.NeedsReward) { '*Needs -RewardModel.' } else { '*Needs no reward.' })
        }
    }

    It 'still refuses a name that is no strategy at binding, listing the names' {
        $e = { Invoke-RewardGuidedDecode -Model ([AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()) -Strategy Beam -Prompt 'x' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -PassThru
        $e.Exception.Message | Should -BeLike "*'Beam' is not a strategy. Use one of: *BestOfN*"
        (Invoke-RewardGuidedDecode -Model ([AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()) -Strategy greedy -Prompt 'x' -MaxNewTokens 2).Strategy | Should -Be 'greedy'
    }

    It 'completes a prefix' {
        (Get-Completion 'Invoke-RewardGuidedDecode -Strategy Arg').CompletionText | Should -Be @('Args', 'ArgsStochastic')
    }
}

Describe '-Setting completion' {
    It 'completes strategy names and aliases from the registry' {
        $names = (Get-Completion 'Compare-DecodingStrategy -Setting ').CompletionText
        foreach ($descriptor in $Registry.Descriptors) { $names | Should -Contain $descriptor.Name }
        (Get-Completion 'Compare-DecodingStrategy -Setting best').CompletionText | Should -Be @('best-of-n')
    }

    It 'completes a strategy''s keys with their defaults inside a quoted spec' {
        $found = Get-Completion "Compare-DecodingStrategy -Setting 'args "
        $argsStrategy = $Registry.Get('args')
        $found.ListItemText | Should -Be @($argsStrategy.Parameters | ForEach-Object { "$($_.Key)=$($_.Default)" })
        $found[0].CompletionText | Should -Be "'args $($found[0].ListItemText)'"
        $found[0].ToolTip | Should -BeLike "$($argsStrategy.Parameters[0].Name): *"
    }

    It 'skips keys already given and completes a typed key prefix' {
        $k = $Registry.Get('args').Parameters | Where-Object Name -EQ 'CandidateCount'
        $found = Get-Completion "Compare-DecodingStrategy -Setting 'args w=2 $($k.Key)"
        $found.CompletionText | Should -Be @("'args w=2 $($k.Key)=$($k.Default)'")
    }

    It 'completes into specs that the comparison accepts' {
        foreach ($descriptor in $Registry.Descriptors) {
            # A key without a default (a text such as darwin's mutation-prompt) completes to "key=" for the user to finish.
            foreach ($match in Get-Completion "Compare-DecodingStrategy -Setting '$($descriptor.Name) " | Where-Object CompletionText -Like "*'") {
                { [AlignedGen.Evaluation.ComparisonSettingSpec]::Parse($match.CompletionText.Trim("'"), $null) } | Should -Not -Throw -Because $match.CompletionText
            }
        }
    }
}
