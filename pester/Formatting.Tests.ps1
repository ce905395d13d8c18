# How the module's objects look: format views (table and list) for models, rewards, relabel summaries and comparison
# results, and Export-Csv of results (arrays written as JSON arrays, not System.Int32[]).

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    $script:Model = Import-AlignedModel $Demo
    $script:RmFolder = Join-Path $TestDrive 'rm'
    $values = [float[]]@(for ($i = 0; $i -lt 259; $i++) { ($i % 5) - 2 })
    $rmOptions = [AlignedGen.ModelBuilding.TinyRewardModelOptions]::new($values, [AlignedGen.ModelBuilding.RewardRule]::PrefixMeanValue)
    $null = [AlignedGen.ModelBuilding.TinyRewardModelBuilder]::WriteSequenceClassificationFolder($rmOptions, $RmFolder)
    $script:Rm = Import-RewardModel $RmFolder
    $script:Length = New-ScriptReward -Name len { param($Prompt, $Response) $Response.Length }
}

AfterAll {
    $Model.Dispose()
    $Rm.Dispose()
}

Describe 'Model and reward views' {
    It 'lists a model''s layout without raw config objects or System.Int32[]' {
        $text = $Model | Out-String
        $text | Should -Match 'LayerCount\s*:\s*\d+'
        $text | Should -Match 'KeyValueHeads\s*:\s*\d+'
        $text | Should -Match "Vocabulary\s*:\s*$($Model.Config.VocabularySize)"
        $text | Should -Match "SpecialTokens\s*:\s*bos .*, eos $($Model.Config.EosTokenIds -join ' '), pad"
        $text | Should -Not -Match 'System\.Int32\[\]|DecoderConfig \{|System\.Collections'
    }

    It 'shows models as a table with Format-Table' {
        ($Model | Format-Table | Out-String -Width 250) | Should -Match 'Name\s+ModelType\s+Vocab\s+Context\s+Layers\s+KvHeads\s+DType\s+Execution'
    }

    It 'lists an ONNX reward model''s kind, input format and path' {
        $text = $Rm | Out-String
        $text | Should -Match 'Kind\s*:\s*\w*SequenceClassification'
        $text | Should -Match ([regex]::Escape($Rm.ModelPath))
        $text | Should -Match 'InputFormat\s*:\s*\S+'
        $text | Should -Not -Match 'AlignedGen\.Rewards\.RewardModelOptions'
    }

    It 'shows every kind of reward in one table: Name, Type, Details' {
        $mix = New-CompositeReward -Reward $Rm, $Length -Weight 0.5, 2 -Name mix
        $text = @($Rm, (New-ProxyReward), $Length, $mix) | Format-Table | Out-String -Width 250
        $text | Should -Match 'Name\s+Type\s+Details'
        $text | Should -Match 'SequenceClassificationRewardModel'
        $text | Should -Match 'ScriptBlockRewardSource\s+\{ param\(\$Prompt, \$Response\)'
        $text | Should -Match "0\.5 × $([regex]::Escape($Rm.Name)) \+ 2 × len"
        ($mix | Format-List | Out-String) | Should -Match 'Details\s*:\s*0\.5 ×'
    }
}

Describe 'Relabel summary views' {
    It 'shows summaries as a table (one row per input file) and as a list with Format-List' {
        $in = Join-Path $TestDrive 'in.jsonl'
        '{"id":"a","prompt":"p","response":"xy"}' | Set-Content $in
        $summary = Invoke-RewardRelabel $in (Join-Path $TestDrive 'out.jsonl') $Length
        $table = $summary | Out-String -Width 250
        $table | Should -Match 'Input\s+Shard\s+Records\s+AlreadyDone\s+Scored\s+Skipped\s+Rows/s\s+Elapsed\s+Output'
        $table | Should -Match 'in\.jsonl\s+0/1\s+1\s+0\s+1\s+0'
        $list = $summary | Format-List | Out-String
        $list | Should -Match 'Shard\s*:\s*0 of 1'
        $list | Should -Match 'SkippedRecordsPath\s*:\s*none'
        $list | Should -Not -Match 'ShardSpec \{'
    }
}

Describe 'Export-Csv of results' {
    It 'writes token ids and tokens as JSON arrays that ConvertFrom-Json reads back' {
        $result = 'the' | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 4
        $csv = Join-Path $TestDrive 'results.csv'
        $result | Export-Csv $csv
        $row = Import-Csv $csv
        $row.TokenIds | Should -Not -Match 'System\.'
        [int[]]($row.TokenIds | ConvertFrom-Json) | Should -Be ([int[]]$result.TokenIds)
        @($row.Tokens | ConvertFrom-Json) | Should -Be @($result.Tokens)
    }

    It 'keeps arrays usable as arrays: count, index, slice, join and binding to int[]' {
        $tokens = ConvertTo-TokenId $Demo 'the cat'
        $tokens.TokenIds.Count | Should -Be $tokens.Count
        $tokens.TokenIds.Length | Should -Be $tokens.Count
        $tokens.TokenIds[0] | Should -BeOfType ([int])
        @($tokens.TokenIds[0..1]).Count | Should -Be ([Math]::Min(2, $tokens.Count))
        ($tokens.TokenIds -join ' ') | Should -Be "$tokens"
        ($tokens | ConvertFrom-TokenId $Demo) | Should -Be (ConvertFrom-TokenId $Demo -TokenId ([int[]]$tokens.TokenIds))
        (ConvertTo-Json @{ ids = $tokens.TokenIds } -Compress) | Should -Be "{`"ids`":[$($tokens.TokenIds -join ',')]}"
    }
}
