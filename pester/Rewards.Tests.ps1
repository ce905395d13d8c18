# Reward cmdlets: New-ScriptReward, New-CompositeReward, New-ProxyReward, Import-RewardModel, Measure-Reward,
# ConvertTo-PreferencePair / Export-PreferencePair, and examples/relabel-args.ps1. Script rewards and the packaged proxy need no shared/; the ONNX
# reward model tests use ../shared/models/rm-llama-seqcls and skip without it. Expected scores come from the rule itself
# (computed here in PowerShell) or from the library called directly (the oracle).

BeforeDiscovery {
    . $PSScriptRoot/TestSupport/Common.ps1
    $script:SharedRm = Get-SharedPath models rm-llama-seqcls
    if (-not $script:SharedRm) { Write-SkipReason 'Import-RewardModel / Measure-Reward on rm-llama-seqcls' $script:SharedSkipReason }
}

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Length = New-ScriptReward -Name length { param($Prompt, $Response) $Response.Length }
    $script:Words = New-ScriptReward -Name words { param($Prompt, $Response) @($Response -split ' ' | Where-Object { $_ }).Count }
    $script:RmFolder = Get-SharedPath models rm-llama-seqcls
}

Describe 'New-ScriptReward and Measure-Reward' {
    It 'scores -Prompt/-Response pairs with the script and writes Prompt, Response, Reward' {
        $scored = @(Measure-Reward -RewardModel $Length -Prompt 'p1', 'p2' -Response 'abc', 'hello world')
        $scored.Prompt | Should -Be @('p1', 'p2')
        $scored.Response | Should -Be @('abc', 'hello world')
        $scored.Reward | Should -Be @(3, 11)
        $Length.Name | Should -Be 'length'
    }

    It 'scores several responses against one prompt' {
        $seen = [System.Collections.Generic.List[string]]::new()
        $reward = New-ScriptReward { param($Prompt, $Response) $seen.Add($Prompt); $Response.Length }
        (Measure-Reward $reward -Prompt 'only' -Response 'a', 'bb', 'ccc').Reward | Should -Be @(1, 2, 3)
        $seen | Should -Be @('only', 'only', 'only')
    }

    It 'annotates piped objects by property name (Import-Csv, Import-JsonLines) with a Reward NoteProperty, overwriting an old Reward' {
        $csv = Join-Path $TestDrive 'pairs.csv'
        "Prompt,Response,Extra`nq,one two three,k1`nq,four,k2" | Set-Content $csv
        $jsonl = Join-Path $TestDrive 'pairs.jsonl'
        '{"prompt":"q","response":"a b","reward":99}' | Set-Content $jsonl
        $fromCsv = @(Import-Csv $csv | Measure-Reward $Words)
        $fromCsv.Reward | Should -Be @(3, 1)
        $fromCsv.Extra | Should -Be @('k1', 'k2')
        $fromJson = Import-JsonLines $jsonl | Measure-Reward $Words
        $fromJson.reward | Should -Be 2
        @($fromJson.PSObject.Properties.Name) | Should -Be @('prompt', 'response', 'reward')
    }

    It 'scores in batches of -BatchSize (one reward call per batch) on the pipeline thread' {
        $batches = [System.Collections.Generic.List[int]]::new()
        $threads = [System.Collections.Generic.List[int]]::new()
        $batched = [AlignedGen.Rewards.DelegateRewardSource]::Batched('batched', [Func[System.Collections.Generic.IReadOnlyList[AlignedGen.Rewards.RewardQuery], float[]]] {
            param($queries)
            $batches.Add($queries.Count); $threads.Add([Environment]::CurrentManagedThreadId)
            [float[]]@(foreach ($q in $queries) { $q.Response.Length })
        })
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ Prompt = 'p'; Response = 'x' * $_ } }
        ($rows | Measure-Reward $batched -BatchSize 2).Reward | Should -Be @(1, 2, 3, 4, 5)
        $batches | Should -Be @(2, 2, 1)
        $threads | Select-Object -Unique | Should -Be ([Environment]::CurrentManagedThreadId)
    }

    It 'sets the Reward of Invoke-RewardGuidedDecode output (a typed property)' {
        $demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
        $r = Invoke-RewardGuidedDecode -Model $demo -Strategy Greedy -Prompt 'She said' -MaxNewTokens 5 | Measure-Reward $Length
        $r | Should -BeOfType ([AlignedGen.PowerShell.Output.DecodedResponse])
        $r.Reward | Should -Be $r.Response.Length
    }

    It 'reports a script that writes no number as AlignedGen.RewardSource (non-terminating) and goes on' {
        $bad = New-ScriptReward { param($Prompt, $Response) if ($Response -eq 'bad') { 'x' } else { 1 } }
        $out = @(Measure-Reward $bad -Prompt 'p' -Response 'bad' -BatchSize 1 -ErrorVariable problems -ErrorAction SilentlyContinue
            Measure-Reward $bad -Prompt 'p' -Response 'good')
        $out.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.RewardSource,*'
        $problems[0].Exception.Message | Should -BeLike '*not a number*'
    }

    It 'reports a script that throws as AlignedGen.RewardSource' {
        $throws = New-ScriptReward { param($Prompt, $Response) throw 'boom' }
        { Measure-Reward $throws -Prompt 'p' -Response 'r' -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.RewardSource,*'
    }

    It 'refuses a -RewardModel that is not a reward with AlignedGen.InvalidArgument' {
        { Measure-Reward -RewardModel 42 -Prompt 'p' -Response 'r' } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }
}

Describe 'New-CompositeReward' {
    It 'scores the weighted sum of its sources' {
        $composite = New-CompositeReward -Reward $Length, $Words -Weight 2, -1
        $composite | Should -BeOfType ([AlignedGen.Rewards.CompositeRewardSource])
        $responses = 'one two', 'a', 'three words here'
        $expected = $responses | ForEach-Object { 2 * $_.Length - @($_ -split ' ').Count }
        (Measure-Reward $composite -Prompt 'p' -Response $responses).Reward | Should -Be $expected
    }

    It 'takes sources from the pipeline and weights 1 by default' {
        $composite = $Length, $Words | New-CompositeReward -Name both
        $composite.Name | Should -Be 'both'
        (Measure-Reward $composite -Prompt 'p' -Response 'ab cd').Reward | Should -Be (5 + 2)
    }

    It 'stops with AlignedGen.WeightCountMismatch when weights and sources differ in number' {
        { New-CompositeReward -Reward $Length, $Words -Weight 1 } | Should -Throw -ErrorId 'AlignedGen.WeightCountMismatch,*'
    }
}

Describe 'New-ProxyReward' {
    It 'is the packaged-MiniLM proxy reward and scores like the same source called directly' {
        $proxy = New-ProxyReward
        $proxy | Should -BeOfType ([AlignedGen.Rewards.ProxyRewardSource])
        $responses = 'Dogs are loyal animals that love to play.', 'the the the the'
        $actual = (Measure-Reward $proxy -Prompt 'Tell me about dogs.' -Response $responses).Reward
        # The oracle: the library's Score on the same source (one MiniLM load instead of two keeps the test fast).
        $oracle = $proxy
        $oracle.Embedder.Name | Should -BeLike '*MiniLM*'
        $queries = [AlignedGen.Rewards.RewardQuery[]]@($responses | ForEach-Object { [AlignedGen.Rewards.RewardQuery]::new('Tell me about dogs.', $_, [NullString]::Value) })
        $expected = $oracle.Score($queries, [Threading.CancellationToken]::None)
        $actual | Should -Be ([double[]]$expected)
        $actual[0] | Should -BeGreaterThan $actual[1]
        $proxy.Dispose()
    }

    It 'stops with AlignedGen.ModelFolder for an embedding folder that is not a model' {
        { New-ProxyReward -EmbeddingModel $TestDrive } | Should -Throw -ErrorId 'AlignedGen.ModelFolder,*'
    }
}

Describe 'Import-RewardModel' {
    It 'stops with AlignedGen.ModelFolder for a folder that is not a reward model' {
        { Import-RewardModel (Join-Path $TestDrive 'missing') } | Should -Throw -ErrorId 'AlignedGen.ModelFolder,*'
    }

    It 'loads rm-llama-seqcls and scores like RewardModelLoader.FromFolder called directly' -Skip:(-not $SharedRm) {
        $rm = Import-RewardModel $RmFolder
        $oracle = [AlignedGen.Rewards.RewardModelLoader]::FromFolder($RmFolder, $null, $null)
        try {
            $rm | Should -BeOfType ([AlignedGen.Rewards.IRewardSource])
            $responses = 'Once upon a time there was a kind little dog named Max.', 'dog dog dog'
            $queries = [AlignedGen.Rewards.RewardQuery[]]@($responses | ForEach-Object { [AlignedGen.Rewards.RewardQuery]::new('Tell me a story.', $_, [NullString]::Value) })
            $expected = $oracle.Score($queries, [Threading.CancellationToken]::None)
            (Measure-Reward $rm -Prompt 'Tell me a story.' -Response $responses).Reward | Should -Be ([double[]]$expected)
            # A folder path works as -RewardModel too.
            (Measure-Reward $RmFolder -Prompt 'Tell me a story.' -Response $responses[0]).Reward | Should -Be ([double]$expected[0])
        }
        finally { $rm.Dispose(); $oracle.Dispose() }
    }
}

Describe 'ConvertTo-PreferencePair' {
    BeforeAll {
        $script:Scored = @(
            [pscustomobject]@{ Id = 'a'; Prompt = 'P1'; Response = 'mid'; Reward = 0.5 }
            [pscustomobject]@{ Id = 'a'; Prompt = 'P1'; Response = 'best'; Reward = 2 }
            [pscustomobject]@{ Id = 'a'; Prompt = 'P1'; Response = 'worst'; Reward = -1 }
            [pscustomobject]@{ Id = 'b'; Prompt = 'P2'; Response = 'tie1'; Reward = 1 }
            [pscustomobject]@{ Id = 'b'; Prompt = 'P2'; Response = 'tie2'; Reward = 1 }
            [pscustomobject]@{ Id = 'c'; Prompt = 'P3'; Response = 'alone'; Reward = 5 }
            [pscustomobject]@{ Id = 'd'; Prompt = 'P1'; Response = 'other'; Reward = 0.9 }
            [pscustomobject]@{ Id = 'd'; Prompt = 'P1'; Response = 'low'; Reward = 0.8 }
        )
    }

    It 'pairs the best and worst response per prompt; ties and single responses give none' {
        $pairs = @($Scored | ConvertTo-PreferencePair)
        $pairs.Count | Should -Be 1
        $pairs[0] | Should -BeOfType ([AlignedGen.PowerShell.Output.PreferencePair])
        $pairs[0].Prompt | Should -Be 'P1'
        $pairs[0].Chosen | Should -Be 'best'
        $pairs[0].Rejected | Should -Be 'worst'
        $pairs[0].ScoreChosen | Should -Be 2
        $pairs[0].ScoreRejected | Should -Be -1
        $pairs[0].Candidates | Should -Be 5
    }

    It 'groups by another property with -GroupBy and filters by -Margin' {
        $byId = @($Scored | ConvertTo-PreferencePair -GroupBy Id)
        $byId.Group | Should -Be @('a', 'd')
        $byId[1].Chosen | Should -Be 'other'
        $wide = @($Scored | ConvertTo-PreferencePair -GroupBy Id -Margin 0.5)
        $wide.Group | Should -Be @('a')
    }

    It 'scores with -RewardModel instead of reading Reward' {
        $rows = 'a', 'abcd', 'ab' | ForEach-Object { [pscustomobject]@{ Prompt = 'q'; Response = $_ } }
        $pair = $rows | ConvertTo-PreferencePair -RewardModel $Length -BatchSize 2
        $pair.Chosen | Should -Be 'abcd'
        $pair.Rejected | Should -Be 'a'
        $pair.ScoreChosen | Should -Be 4
    }

    It 'reports an input without a Reward as AlignedGen.InvalidArgument (non-terminating)' {
        $rows = [pscustomobject]@{ Prompt = 'q'; Response = 'x' }, [pscustomobject]@{ Prompt = 'q'; Response = 'y'; Reward = 1 }
        $out = @($rows | ConvertTo-PreferencePair -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.InvalidArgument,*'
    }

    It 'shows a table view' {
        ($Scored | ConvertTo-PreferencePair | Format-Table | Out-String) | Should -Match 'ScoreChosen\s+ScoreRejected'
    }
}

Describe 'Export-PreferencePair' {
    BeforeAll {
        $script:Scored = @(
            [pscustomobject]@{ Id = 'a'; Prompt = 'P1'; Response = 'mid'; Reward = 0.5 }
            [pscustomobject]@{ Id = 'a'; Prompt = 'P1'; Response = 'best'; Reward = 2 }
            [pscustomobject]@{ Id = 'a'; Prompt = 'P1'; Response = 'worst'; Reward = -1 }
            [pscustomobject]@{ Id = 'b'; Prompt = 'P2'; Response = 'alone'; Reward = 1 }
        )
    }

    It 'writes the pairs of piped responses to a file (snake_case columns) and nothing to the pipeline without -PassThru' {
        $path = Join-Path $TestDrive 'pairs.jsonl'
        $out = @($Scored | Export-PreferencePair $path)
        $out.Count | Should -Be 0
        $rows = @(Import-JsonLines $path)
        $rows.Count | Should -Be 1
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'prompt,chosen,rejected,score_chosen,score_rejected'
        $rows[0].chosen | Should -Be 'best'
        $rows[0].score_rejected | Should -Be -1
    }

    It 'adds prompt_id with -GroupBy, writes CSV by extension, and -PassThru writes the pairs too' {
        $path = Join-Path $TestDrive 'pairs.csv'
        $pairs = @($Scored | Export-PreferencePair $path -GroupBy Id -PassThru)
        $pairs.Count | Should -Be 1
        $pairs[0] | Should -BeOfType ([AlignedGen.PowerShell.Output.PreferencePair])
        $rows = @(Import-Csv $path)
        $rows[0].prompt_id | Should -Be 'a'
        $rows[0].chosen | Should -Be 'best'
    }

    It 'pairs a scored dataset file with -InputPath (the core''s PreferencePairs) and writes its summary' {
        $scored = Join-Path $TestDrive 'scored.jsonl'
        '{"id":"1","prompt":"P","response":"a","reward":1}', '{"id":"2","prompt":"P","response":"b","reward":3}', '{"id":"3","prompt":"Q","response":"c","reward":2}' | Set-Content $scored
        $path = Join-Path $TestDrive 'file-pairs.jsonl'
        $summary = Export-PreferencePair $path -InputPath $scored
        $summary | Should -BeOfType ([AlignedGen.Relabeling.PreferencePairSummary])
        $summary.PairsWritten | Should -Be 1
        $summary.PromptsSkippedSingleResponse | Should -Be 1
        $row = Import-JsonLines $path
        $row.chosen | Should -Be 'b'
        $row.rejected | Should -Be 'a'
    }

    It 'names -ScoreColumn (not the C# property) when the score column is not numeric' {
        $scored = Join-Path $TestDrive 'unscored.jsonl'
        '{"id":"1","prompt":"P","response":"a","reward":"high"}', '{"id":"2","prompt":"P","response":"b","reward":"low"}' | Set-Content $scored
        $err = { Export-PreferencePair (Join-Path $TestDrive 'x.jsonl') -InputPath $scored } | Should -Throw -ErrorId 'AlignedGen.DataFile,*' -PassThru
        $err.ToString() | Should -BeLike '*-ScoreColumn*'
        $err.ToString() | Should -BeLike '*Invoke-RewardRelabel*'
        $err.ToString() | Should -Not -BeLike '*RelabelJob*'
    }

    It 'overwrites unless -NoClobber, and writes nothing under -WhatIf' {
        $path = Join-Path $TestDrive 'clobber.jsonl'
        'old' | Set-Content $path
        { $Scored | Export-PreferencePair $path -NoClobber } | Should -Throw -ErrorId 'AlignedGen.OutputExists,*'
        Get-Content $path | Should -Be 'old'
        $Scored | Export-PreferencePair $path -WhatIf
        Get-Content $path | Should -Be 'old'
        $Scored | Export-PreferencePair $path
        (Import-JsonLines $path).chosen | Should -Be 'best'
    }
}

Describe 'examples/relabel-args.ps1' {
    It 'relabels a tiny JSONL prompt set with ARGS-stochastic and writes one pair per prompt' {
        $prompts = Join-Path $TestDrive 'prompts.jsonl'
        '{"id":"s1","prompt":"Once upon a time"}', '{"id":"s2","prompt":"The little dog"}' | Set-Content $prompts
        $pairs = Join-Path $TestDrive 'pairs.jsonl'
        $responses = Join-Path $TestDrive 'responses.jsonl'
        $demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
        $countE = New-ScriptReward { param($Prompt, $Response) ([regex]::Matches($Response, 'e')).Count }
        & (Join-Path $RepositoryRoot 'examples' 'relabel-args.ps1') -InputPath $prompts -OutputPath $pairs -Model $demo -RewardModel $countE `
            -Samples 4 -MaxNewTokens 10 -Temperature 1.5 -Seed 5 -ResponsesPath $responses
        $all = @(Import-JsonLines $responses)
        $all.Count | Should -Be 8
        $written = @(Import-JsonLines $pairs)
        $written.Count | Should -BeGreaterThan 0
        foreach ($pair in $written) {
            $group = @($all | Where-Object Id -EQ $pair.prompt_id)
            $group.Count | Should -Be 4
            $pair.prompt | Should -Be $group[0].Prompt
            $pair.score_chosen | Should -Be ($group.Reward | Measure-Object -Maximum).Maximum
            $pair.score_rejected | Should -Be ($group.Reward | Measure-Object -Minimum).Minimum
            $pair.score_chosen | Should -Be ([regex]::Matches($pair.chosen, 'e')).Count
            $pair.score_rejected | Should -Be ([regex]::Matches($pair.rejected, 'e')).Count
            $pair.score_chosen | Should -BeGreaterThan $pair.score_rejected
        }
    }
}
