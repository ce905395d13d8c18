# Evaluation cmdlets: Measure-AlignmentQuality, Compare-DecodingStrategy, Export-AlignmentReport. On the embedded demo
# model with rule rewards (no shared/ needed); one Describe uses stories260K + rm-llama-cached + rm-wordpiece from
# ../shared and skips without it. Expected values come from the library called directly (QualityEvaluator,
# StrategyComparison: the oracle, with .NET delegate versions of the script rewards), from a second cmdlet path
# (Invoke-RewardGuidedDecode | Measure-AlignmentQuality against Compare-DecodingStrategy), or from the definition
# computed here in PowerShell (diversity of a known text).

BeforeDiscovery {
    . $PSScriptRoot/TestSupport/Common.ps1
    $script:SharedModels = (Get-SharedPath models stories260K) -and (Get-SharedPath models rm-llama-cached) -and (Get-SharedPath models rm-wordpiece)
    if (-not $script:SharedModels) { Write-SkipReason 'Compare-DecodingStrategy / Measure-AlignmentQuality on stories260K + rm-llama-cached + rm-wordpiece' $script:SharedSkipReason }
}

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    $script:Model = Import-AlignedModel $Demo
    $script:Prompts = 'Once upon a time', 'The little dog', 'She said', 'In the morning'
    # Rule rewards: letters e, and letters o, in the response; script versions for the cmdlets, .NET delegates for the oracle.
    $script:CountE = New-ScriptReward -Name count-e { param($Prompt, $Response) ([regex]::Matches($Response, 'e')).Count }
    $script:CountO = New-ScriptReward -Name count-o { param($Prompt, $Response) ([regex]::Matches($Response, 'o')).Count }
    function New-CountReward([string] $Letter) {
        [AlignedGen.Rewards.DelegateRewardSource]::Batched("count-$Letter", [Func[System.Collections.Generic.IReadOnlyList[AlignedGen.Rewards.RewardQuery], float[]]] {
            param($queries)
            [float[]]@(foreach ($q in $queries) { ([regex]::Matches($q.Response, $Letter)).Count })
        }.GetNewClosure())
    }
    $script:CountEDelegate = New-CountReward 'e'
    $script:CountODelegate = New-CountReward 'o'

    function Get-Diversity([string] $Text) {
        <# ARGS diversity by its definition: the product over n = 2, 3, 4 of unique / total word n-grams (1 when there are none). #>
        $words = @($Text -split '\s+' | Where-Object { $_ })
        $product = 1.0
        foreach ($n in 2, 3, 4) {
            $total = $words.Count - $n + 1
            if ($total -le 0) { continue }
            $grams = for ($i = 0; $i -lt $total; $i++) { $words[$i..($i + $n - 1)] -join "`u{1}" }
            $product *= @($grams | Sort-Object -Unique -CaseSensitive).Count / $total
        }
        $product
    }

    function Invoke-CoreComparison {
        <# The oracle: StrategyComparison.Run with the same settings, options and delegate rewards, synchronously. #>
        param([string[]] $Setting, [int] $MaxNewTokens, [int] $Seed, $Guide, $Judge, [string[]] $PromptText = $Prompts)
        $options = [AlignedGen.Evaluation.ComparisonOptions]::new([AlignedGen.Evaluation.ComparisonSettingSpec]::ParseAll($Setting))
        $options.Generation = [AlignedGen.Decoding.GenerationOptions]::new($MaxNewTokens, 16, $null, $true, $true, [NullString]::Value, $Seed)
        $options.GuidingReward = $Guide
        $options.HeldOutReward = $Judge
        $requests = [AlignedGen.Decoding.GenerationRequest[]]@(for ($i = 0; $i -lt $PromptText.Count; $i++) { [AlignedGen.Decoding.GenerationRequest]::new($PromptText[$i], "$i", [NullString]::Value) })
        [AlignedGen.Evaluation.StrategyComparison]::new($Model, $options).Run($requests, $null, [Threading.CancellationToken]::None)
    }

    function Assert-SameResponses($Actual, $Expected) {
        $Actual.Count | Should -Be $Expected.Count
        for ($i = 0; $i -lt $Expected.Count; $i++) {
            foreach ($name in 'Setting', 'PromptId', 'Prompt', 'Response', 'FinishReason', 'GuidingReward', 'HeldOutReward', 'Diversity', 'Coherence', 'Fluency', 'Length') {
                $Actual[$i].$name | Should -Be $Expected[$i].$name -Because "response $i, $name"
            }
        }
    }
}

AfterAll {
    if ($Model) { $Model.Dispose() }
}

Describe 'Measure-AlignmentQuality' {
    It 'measures the diversity of a known text as defined, and its length in words without a model' {
        $text = 'the cat sat on the mat the cat sat'
        $row = Measure-AlignmentQuality -Prompt 'q' -Response $text
        $expected = Get-Diversity $text
        $expected | Should -BeGreaterThan 0.64
        $expected | Should -BeLessThan 0.65                  # 6/8 · 6/7 · 6/6 = 0.6428...
        $row.Diversity | Should -Be $expected
        $row.Diversity | Should -Be ([AlignedGen.Evaluation.DiversityMetric]::Compute($text))
        $row.Length | Should -Be 9
        @($row.PSObject.Properties.Name) | Should -Be @('Prompt', 'Response', 'Diversity', 'Length')
        (Measure-AlignmentQuality -Prompt 'q' -Response 'a b c d e').Diversity | Should -Be 1
    }

    It 'binds Prompt/Response aliases, Id and Reference by property name, keeps the input columns and adds the measured metrics' {
        $csv = Join-Path $TestDrive 'answers.csv'
        "Id,Instruction,Completion,Extra`nx1,Say hi,hello there hello there,k1`nx2,Count,one two three,k2" | Set-Content $csv
        $jsonl = Join-Path $TestDrive 'answers.jsonl'
        '{"id":7,"question":"Why?","answer":"because of the the the","score":1}' | Set-Content $jsonl
        $fromCsv = @(Import-Csv $csv | Measure-AlignmentQuality -GuidingReward $CountE)
        $fromCsv.Extra | Should -Be @('k1', 'k2')
        @($fromCsv[0].PSObject.Properties.Name) | Should -Be @('Id', 'Instruction', 'Completion', 'Extra', 'GuidingReward', 'Diversity', 'Length')
        $fromCsv.GuidingReward | Should -Be @(6, 3)               # letters e
        $fromCsv.Diversity | Should -Be @((Get-Diversity 'hello there hello there'), 1)
        $fromJson = Import-JsonLines $jsonl | Measure-AlignmentQuality -HeldOutReward $CountO
        $fromJson.id | Should -Be 7
        $fromJson.HeldOutReward | Should -Be 1
        $fromJson.Length | Should -Be 5
        @($fromJson.PSObject.Properties.Name) | Should -Be @('id', 'question', 'answer', 'score', 'HeldOutReward', 'Diversity', 'Length')
    }

    It 'measures like QualityEvaluator called directly (rewards, fluency, length), whatever -BatchSize' {
        $responses = ' the the dog ran', 'She was happy and the sun', '', 'e e e o'
        $rows = for ($i = 0; $i -lt 4; $i++) { [pscustomobject]@{ Prompt = $Prompts[$i]; Response = $responses[$i] } }
        $one = @($rows | Measure-AlignmentQuality -GuidingReward $CountE -HeldOutReward $CountO -FluencyModel $Model -BatchSize 1)
        $three = @($rows | Measure-AlignmentQuality -GuidingReward $CountE -HeldOutReward $CountO -FluencyModel $Model -BatchSize 3)
        $options = [AlignedGen.Evaluation.QualityEvaluatorOptions]@{ GuidingReward = $CountEDelegate; HeldOutReward = $CountODelegate; FluencyModel = $Model }
        $core = [AlignedGen.Evaluation.QualityEvaluator]::new($options).Evaluate(
            [AlignedGen.Evaluation.ResponseToEvaluate[]]@(for ($i = 0; $i -lt 4; $i++) { [AlignedGen.Evaluation.ResponseToEvaluate]::new($Prompts[$i], $responses[$i], $null) }),
            $null, [Threading.CancellationToken]::None)
        foreach ($actual in $one, $three) {
            for ($i = 0; $i -lt 4; $i++) {
                foreach ($name in 'GuidingReward', 'HeldOutReward', 'Diversity', 'Fluency', 'Length') {
                    $actual[$i].$name | Should -Be $core[$i].$name -Because "row $i, $name"
                }
            }
        }
        $one[1].GuidingReward | Should -Be 2                      # 'She was happy and the sun'
        $one[1].Fluency | Should -BeGreaterThan 0
        $one[2].Fluency | Should -BeNullOrEmpty          # an empty response has no fluency
        $one[2].Length | Should -Be 0
    }

    It 'measures Invoke-RewardGuidedDecode output with its token ids, as Compare-DecodingStrategy measures the same greedy responses' {
        $decoded = @($Prompts | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 8)
        $measured = @($decoded | Measure-AlignmentQuality -GuidingReward $CountE -FluencyModel $Model)
        $measured[0] | Should -BeOfType ([AlignedGen.PowerShell.Output.DecodedResponse])
        $compared = Compare-DecodingStrategy -Model $Model -Prompt $Prompts -Setting greedy -GuidingReward $CountE -MaxNewTokens 8 -Seed 1 -NoCoherence -PassThru |
            Where-Object { $_ -is [AlignedGen.Evaluation.ComparisonResult] }
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $measured[$i].Length | Should -Be $decoded[$i].TokenIds.Count
            $measured[$i].Response | Should -BeExactly $compared.Responses[$i].Response
            $measured[$i].Fluency | Should -Be $compared.Responses[$i].Fluency
            $measured[$i].GuidingReward | Should -Be $compared.Responses[$i].GuidingReward
            $measured[$i].Diversity | Should -Be $compared.Responses[$i].Diversity
        }
    }

    It 'measures coherence with the proxy reward embedder, as QualityEvaluator does with that embedder' {
        $proxy = New-ProxyReward
        try {
            $responses = 'Dogs are loyal animals that love to play.', 'The stock market fell today.'
            $rows = @(Measure-AlignmentQuality -Prompt 'Tell me about dogs.' -Response $responses -GuidingReward $proxy -Coherence)
            $options = [AlignedGen.Evaluation.QualityEvaluatorOptions]@{ Embedder = $proxy.Embedder }
            $core = [AlignedGen.Evaluation.QualityEvaluator]::new($options).Evaluate(
                [AlignedGen.Evaluation.ResponseToEvaluate[]]@($responses | ForEach-Object { [AlignedGen.Evaluation.ResponseToEvaluate]::new('Tell me about dogs.', $_, $null) }),
                $null, [Threading.CancellationToken]::None)
            $rows.Coherence | Should -Be @($core.Coherence)
            $rows[0].Coherence | Should -BeGreaterThan $rows[1].Coherence
            # -Embedder with the proxy object means the same embedder.
            (Measure-AlignmentQuality -Prompt 'Tell me about dogs.' -Response $responses[0] -Embedder $proxy).Coherence | Should -Be $core[0].Coherence
        }
        finally { $proxy.Dispose() }
    }

    It 'writes progress records counting the responses measured, and a Completed record' {
        $run = Invoke-InNewRunspace "1..5 | ForEach-Object { [pscustomobject]@{ Prompt = 'p'; Response = 'r ' * `$_ } } | Measure-AlignmentQuality -BatchSize 2"
        $run.Output.Count | Should -Be 5
        $records = @($run.Streams.Progress)
        $processing = @($records | Where-Object RecordType -EQ 'Processing')
        # The total of piped input is unknown (no percentage), so records are throttled to a few a second: the first
        # batch always shows; every status is a count of responses measured.
        $processing[0].StatusDescription | Should -Be '2 responses measured'
        $processing.StatusDescription | ForEach-Object { $_ | Should -Match '^[245] responses measured$' }
        $processing.PercentComplete | ForEach-Object { $_ | Should -Be -1 }
        $records[-1].RecordType | Should -Be 'Completed'
        $records[0].Activity | Should -Be 'Measure-AlignmentQuality'
    }

    It 'reports an input without a Response as AlignedGen.InvalidArgument (non-terminating) and measures the rest' {
        $rows = [pscustomobject]@{ Prompt = 'p'; Text = 'x' }, [pscustomobject]@{ Prompt = 'p'; Response = 'y' }
        $out = @($rows | Measure-AlignmentQuality -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].Response | Should -Be 'y'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.InvalidArgument,*'
        $problems[0].Exception.Message | Should -BeLike '*no Response*'
    }

    It 'reports a failing script reward as AlignedGen.RewardSource (non-terminating)' {
        $bad = New-ScriptReward { param($Prompt, $Response) 'not a number' }
        $out = @(Measure-AlignmentQuality -Prompt 'p' -Response 'r' -GuidingReward $bad -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.RewardSource,*'
    }

    It 'stops with <Id> for <Case>' -ForEach @(
        @{ Case = 'a -GuidingReward that is not a reward'; Id = 'AlignedGen.InvalidArgument'; Run = { Measure-AlignmentQuality -Prompt 'p' -Response 'r' -GuidingReward 42 } }
        @{ Case = 'a -FluencyModel folder that is not a model'; Id = 'AlignedGen.ModelFolder'; Run = { Measure-AlignmentQuality -Prompt 'p' -Response 'r' -FluencyModel $TestDrive } }
        @{ Case = 'an -Embedder folder that is not a model'; Id = 'AlignedGen.ModelFolder'; Run = { Measure-AlignmentQuality -Prompt 'p' -Response 'r' -Embedder $TestDrive } }
    ) {
        $Run | Should -Throw -ErrorId "$Id,*"
    }
}

Describe 'Compare-DecodingStrategy and Export-AlignmentReport' {
    BeforeAll {
        $script:Settings = 'greedy', 'sample t=0.9', 'args w=2'
        $script:Folder = Join-Path $TestDrive 'compare'
        $script:Output = @(Compare-DecodingStrategy -Model $Model -Prompt $Prompts -Setting $Settings -GuidingReward $CountE -HeldOutReward $CountO `
                -MaxNewTokens 8 -Seed 5 -NoCoherence -OutputFolder $Folder -PassThru)
        $script:Oracle = Invoke-CoreComparison -Setting $Settings -MaxNewTokens 8 -Seed 5 -Guide $CountEDelegate -Judge $CountODelegate
    }

    It 'writes one StrategySummary per setting, then the ComparisonResult with -PassThru' {
        $Output.Count | Should -Be 4
        $Output[0..2] | ForEach-Object { $_ | Should -BeOfType ([AlignedGen.Evaluation.StrategySummary]) }
        $Output[3] | Should -BeOfType ([AlignedGen.Evaluation.ComparisonResult])
        $Output[0..2].Setting | Should -Be @('greedy', 'sample t=0.9', 'args w=2')
        ($Output[0..2] | ForEach-Object { $_.Count }) | Should -Be @(4, 4, 4)
        $Output[0..2].IsBaseline | Should -Be @($true, $false, $false)
        $Output[3].PromptCount | Should -Be 4
        $Output[3].MaxNewTokens | Should -Be 8
        $Output[3].Seed | Should -Be 5
    }

    It 'gives the responses, metrics and win/tie/loss of StrategyComparison.Run with the same options' {
        $result = $Output[3]
        Assert-SameResponses $result.Responses $Oracle.Responses
        for ($s = 0; $s -lt 3; $s++) {
            $actual = $Output[$s]
            $expected = $Oracle.Summaries[$s]
            $actual.GuidingReward | Should -Be $expected.GuidingReward
            $actual.HeldOutReward | Should -Be $expected.HeldOutReward
            $actual.Fluency | Should -Be $expected.Fluency
            $actual.LmTokensPerResponse | Should -Be $expected.LmTokensPerResponse
            $actual.RewardCallsPerResponse | Should -Be $expected.RewardCallsPerResponse
            if ($s -gt 0) { $actual.VersusBaseline | Should -Be $expected.VersusBaseline } else { $actual.VersusBaseline | Should -BeNullOrEmpty }
        }
        # The reward guidance is real: ARGS w=2 gets more letters e than greedy.
        $Output[2].GuidingReward.Mean | Should -BeGreaterThan $Output[0].GuidingReward.Mean
    }

    It 'shows the summaries as a table with mean ± SE and win/tie/loss' {
        $text = $Output[0..2] | Format-Table | Out-String -Width 200
        $text | Should -Match 'Setting\s+N\s+Guiding\s+HeldOut\s+VsBaseline'
        $text | Should -Match 'greedy\s+4\s+\S+ ± \S+'
        $text | Should -Match 'baseline'
        $v = $Output[2].VersusBaseline
        $text | Should -Match ([regex]::Escape("$($v.Wins)/$($v.Ties)/$($v.Losses)"))
    }

    It 'writes the comparison folder, which ComparisonResultFiles.Load reads back as the same comparison' {
        foreach ($file in 'comparison.json', 'summary.md', 'summary.csv', 'responses/greedy.jsonl', 'responses/sample-t-0-9.jsonl', 'responses/args-w-2.jsonl') {
            Join-Path $Folder $file | Should -Exist
        }
        $loaded = [AlignedGen.Evaluation.ComparisonResultFiles]::Load($Folder)
        Assert-SameResponses $loaded.Responses $Output[3].Responses
        $loaded.Summaries.Setting | Should -Be $Settings.ForEach({ [AlignedGen.Evaluation.ComparisonSettingSpec]::Parse($_, $null).Label })
    }

    It 'Export-AlignmentReport -Path turns the folder into report.html with its PNG charts' {
        $file = Export-AlignmentReport -Path $Folder -Title 'Demo <comparison>' -Examples 2
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be (Join-Path $Folder 'report.html')
        $html = Get-Content $file.FullName -Raw
        $html | Should -Match '<title>Demo &lt;comparison&gt;</title>'
        foreach ($chart in 'reward-vs-w.png', 'reward-vs-cost.png', 'reward-distribution.png', 'win-tie-loss.png') {
            $png = Join-Path $Folder 'charts' $chart
            $png | Should -Exist
            $bytes = [IO.File]::ReadAllBytes($png)
            $bytes.Length | Should -BeGreaterThan 1000
            [BitConverter]::ToString($bytes, 0, 8) | Should -Be '89-50-4E-47-0D-0A-1A-0A'      # the PNG signature
            $html | Should -Match ([regex]::Escape("charts/$chart"))
        }
        foreach ($setting in $Settings) { $html | Should -Match ([regex]::Escape([Net.WebUtility]::HtmlEncode($setting))) }
    }

    It 'Export-AlignmentReport takes the ComparisonResult from the pipeline, and a folder from Get-Item' {
        $reportFolder = Join-Path $TestDrive 'report'
        $file = $Output | Where-Object { $_ -is [AlignedGen.Evaluation.ComparisonResult] } | Export-AlignmentReport -OutputFolder $reportFolder -Examples 0
        $file.FullName | Should -Be (Join-Path $reportFolder 'report.html')
        @(Get-ChildItem (Join-Path $reportFolder 'charts') -Filter *.png).Count | Should -Be 4
        $again = Get-Item $Folder | Export-AlignmentReport -OutputFolder (Join-Path $TestDrive 'report2')
        $again.Name | Should -Be 'report.html'
        (Get-Content $again.FullName -Raw) | Should -Match 'args w=2'
    }

    It 'Export-AlignmentReport -WhatIf writes no report; Compare-DecodingStrategy -OutputFolder -WhatIf runs nothing' {
        $reportFolder = Join-Path $TestDrive 'whatif-report'
        $none = $Output | Where-Object { $_ -is [AlignedGen.Evaluation.ComparisonResult] } | Export-AlignmentReport -OutputFolder $reportFolder -WhatIf
        $none | Should -BeNullOrEmpty
        Test-Path $reportFolder | Should -BeFalse
        $compareFolder = Join-Path $TestDrive 'whatif-compare'
        $summaries = Compare-DecodingStrategy -Model $Model -Prompt 'x' -Setting greedy -NoCoherence -MaxNewTokens 2 -OutputFolder $compareFolder -WhatIf
        $summaries | Should -BeNullOrEmpty
        Test-Path $compareFolder | Should -BeFalse
    }

    It 'shows the ComparisonResult as a list by default and as a table with Format-Table' {
        $result = $Output | Where-Object { $_ -is [AlignedGen.Evaluation.ComparisonResult] }
        ($result | Out-String) | Should -Match 'Settings\s*:\s*greedy, sample t=0.9, args w=2'
        ($result | Format-Table | Out-String -Width 250) | Should -Match 'Generator\s+Baseline\s+Settings\s+Prompts\s+Responses'
    }

    It 'reads prompts from -PromptFile with their ids, and from piped objects with Id' {
        $file = Join-Path $TestDrive 'prompts.jsonl'
        '{"id":"a","prompt":"Once upon a time"}', '', '{"id":"b","instruction":"She said"}' | Set-Content $file
        $fromFile = Compare-DecodingStrategy $Model -PromptFile $file -Setting greedy -MaxNewTokens 4 -NoCoherence -NoFluency -PassThru | Select-Object -Last 1
        $fromFile.Responses.PromptId | Should -Be @('a', 'b')
        $fromFile.Responses.Prompt | Should -Be @('Once upon a time', 'She said')
        $piped = [pscustomobject]@{ Id = 'x'; Prompt = 'Once upon a time' }, [pscustomobject]@{ Id = 'y'; Prompt = 'She said' } |
            Compare-DecodingStrategy $Model -Setting greedy -MaxNewTokens 4 -NoCoherence -NoFluency -PassThru | Select-Object -Last 1
        $piped.Responses.PromptId | Should -Be @('x', 'y')
        $piped.Responses.Response | Should -Be $fromFile.Responses.Response
        $piped.Responses[0].Fluency | Should -BeNullOrEmpty
        $piped.Embedder | Should -BeNullOrEmpty
    }

    It 'runs the default sweep when -Setting is absent' {
        $summaries = @(Compare-DecodingStrategy $Model -Prompt 'Once upon a time' -GuidingReward $CountE -MaxNewTokens 3 -Seed 1 -NoCoherence -NoFluency)
        $summaries.Setting | Should -Be @([AlignedGen.Evaluation.ComparisonSettingSpec]::DefaultSweep().Label)
    }
}

Describe 'Compare-DecodingStrategy progress and cancellation' {
    It 'writes one progress activity over the whole comparison: overall percent, setting i of n, stage' {
        $script = "`$e = New-ScriptReward { param(`$Prompt, `$Response) `$Response.Length }; " +
            "Compare-DecodingStrategy -Model '$Demo' -Prompt 'a', 'b', 'c', 'd' -Setting greedy, 'sample', 'args w=1' -GuidingReward `$e -MaxNewTokens 8 -BatchSize 2 -NoCoherence"
        $run = Invoke-InNewRunspace $script
        $run.Output.Count | Should -Be 3
        $records = @($run.Streams.Progress)
        @($records.ActivityId | Select-Object -Unique).Count | Should -Be 1
        $records[0].Activity | Should -Be 'Comparing 3 setting(s) on 4 prompt(s)'
        $processing = @($records | Where-Object RecordType -EQ 'Processing')
        $percents = @($processing.PercentComplete)
        for ($i = 1; $i -lt $percents.Count; $i++) { $percents[$i] | Should -BeGreaterOrEqual $percents[$i - 1] }
        $percents[0] | Should -BeLessThan 34
        $percents[-1] | Should -Be 100
        $status = $processing.StatusDescription -join "`n"
        foreach ($expected in 'Setting 1 of 3: greedy (generating)', 'Setting 2 of 3: sample t=0.7', 'Setting 3 of 3: args w=1', '(evaluating)') {
            $status | Should -Match ([regex]::Escape($expected))
        }
        @($processing.CurrentOperation -match '^\d of 4 prompts (generated|measured), \d+ s elapsed$').Count | Should -Be $processing.Count
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'stops promptly on Ctrl+C (Stop)' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; Compare-DecodingStrategy -Model '$Demo' -Prompt (1..200 | ForEach-Object { 'Once upon a time' + `$_ }) -Setting greedy, sample -MaxNewTokens 300 -BatchSize 1 -NoCoherence")
        $handle = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($ps.Streams.Progress.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $ps.Streams.Progress.Count | Should -BeGreaterOrEqual 2
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $ps.Dispose()
        $runspace.Dispose()
    }
}

Describe 'Evaluation cmdlet errors' {
    It 'Compare-DecodingStrategy stops with <Id> for <Case>' -ForEach @(
        @{ Case = 'an ARGS setting without -GuidingReward'; Id = 'AlignedGen.RewardModelRequired'; Run = { Compare-DecodingStrategy $Model -Prompt 'x' -Setting greedy, 'args w=1' } }
        @{ Case = 'an unknown strategy in a setting spec'; Id = 'AlignedGen.InvalidArgument'; Run = { Compare-DecodingStrategy $Model -Prompt 'x' -Setting 'beam n=3' } }
        @{ Case = 'a -Baseline that is no setting'; Id = 'AlignedGen.InvalidArgument'; Run = { Compare-DecodingStrategy $Model -Prompt 'x' -Setting greedy -Baseline sample -NoCoherence } }
        @{ Case = 'a negative -TieMargin'; Id = 'AlignedGen.InvalidArgument'; Run = { Compare-DecodingStrategy $Model -Prompt 'x' -Setting greedy -TieMargin -1 -NoCoherence } }
        @{ Case = 'duplicate prompt ids'; Id = 'AlignedGen.InvalidArgument'; Run = { [pscustomobject]@{ Id = 1; Prompt = 'a' }, [pscustomobject]@{ Id = 1; Prompt = 'b' } | Compare-DecodingStrategy $Model -Setting greedy -NoCoherence -MaxNewTokens 2 } }
        @{ Case = 'a model folder that is not a model'; Id = 'AlignedGen.ModelFolder'; Run = { Compare-DecodingStrategy $TestDrive -Prompt 'x' -Setting greedy -NoCoherence } }
        @{ Case = 'a missing -PromptFile'; Id = 'AlignedGen.FileNotFound'; Run = { Compare-DecodingStrategy $Model -PromptFile (Join-Path $TestDrive 'none.jsonl') -Setting greedy -NoCoherence } }
        @{ Case = 'a -PromptFile with a corrupt line'; Id = 'AlignedGen.CorruptJsonLine'; Run = { $f = Join-Path $TestDrive 'bad.jsonl'; '{"prompt":"a"}', '{oops' | Set-Content $f; Compare-DecodingStrategy $Model -PromptFile $f -Setting greedy -NoCoherence } }
        @{ Case = 'an -OutputFolder that is a file'; Id = 'AlignedGen.OutputNotWritable'; Run = { $f = Join-Path $TestDrive 'file.txt'; 'x' | Set-Content $f; Compare-DecodingStrategy $Model -Prompt 'x' -Setting greedy -NoCoherence -MaxNewTokens 2 -OutputFolder $f } }
    ) {
        $Run | Should -Throw -ErrorId "$Id,*"
    }

    It 'Compare-DecodingStrategy refuses an input without a prompt (non-terminating) and compares the rest' {
        $result = [pscustomobject]@{ Text = 'x' }, 'She said' | Compare-DecodingStrategy $Model -Setting greedy -MaxNewTokens 2 -NoCoherence -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue |
            Select-Object -Last 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.InvalidArgument,*'
        $result.PromptCount | Should -Be 1
        $result.Responses[0].PromptId | Should -Be '1'
    }

    It 'Compare-DecodingStrategy warns when the held-out reward is the guiding reward' {
        $null = Compare-DecodingStrategy $Model -Prompt 'x' -Setting greedy -GuidingReward $CountE -HeldOutReward $CountE -MaxNewTokens 2 -NoCoherence -WarningVariable warned -WarningAction SilentlyContinue
        $warned[0].Message | Should -BeLike '*overstates*'
    }

    It 'Export-AlignmentReport reports <Id> for <Case> (non-terminating)' -ForEach @(
        @{ Case = 'a folder that does not exist'; Id = 'AlignedGen.FileNotFound'; Make = { Join-Path $TestDrive 'missing' } }
        @{ Case = 'a folder without comparison.json'; Id = 'AlignedGen.NotAComparison'; Make = { $d = Join-Path $TestDrive 'empty'; $null = New-Item -ItemType Directory $d -Force; $d } }
        @{ Case = 'a file instead of a folder'; Id = 'AlignedGen.NotAComparison'; Make = { $f = Join-Path $TestDrive 'plain.txt'; 'x' | Set-Content $f; $f } }
        @{ Case = 'a comparison.json of another format'; Id = 'AlignedGen.DataFile'; Make = { $d = Join-Path $TestDrive 'other'; $null = New-Item -ItemType Directory $d -Force; '{"format":"something-else","format_version":1}' | Set-Content (Join-Path $d 'comparison.json'); $d } }
    ) {
        $path = & $Make
        $out = @(Export-AlignmentReport -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
    }

    It 'Export-AlignmentReport reports AlignedGen.OutputNotWritable when the report folder cannot be created' {
        $result = Compare-DecodingStrategy $Model -Prompt 'a', 'b' -Setting greedy, sample -HeldOutReward $CountE -MaxNewTokens 3 -NoCoherence -NoFluency -PassThru | Select-Object -Last 1
        $blocker = Join-Path $TestDrive 'blocker.txt'
        'x' | Set-Content $blocker
        $out = @($result | Export-AlignmentReport -OutputFolder $blocker -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.OutputNotWritable,*'
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        { $result | Export-AlignmentReport -OutputFolder $blocker -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.OutputNotWritable,*'
        # A result has no folder of its own; and something must be given.
        { $result | Export-AlignmentReport -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
        { Export-AlignmentReport -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }
}

Describe 'examples/compare-strategies.ps1' {
    It 'compares three settings on a JSONL prompt set and writes the comparison folder with report.html' {
        $promptFile = Join-Path $TestDrive 'prompts.jsonl'   # (not $prompts: names are case-insensitive, $Prompts holds the texts)
        $lines = for ($i = 0; $i -lt $Prompts.Count; $i++) { [ordered]@{ id = "p$i"; prompt = $Prompts[$i] } | ConvertTo-Json -Compress }
        $lines | Set-Content $promptFile
        $folder = Join-Path $TestDrive 'example'
        $report = & (Join-Path $RepositoryRoot 'examples' 'compare-strategies.ps1') -PromptPath $promptFile -Model $Demo -GuidingReward $CountE `
            -HeldOutReward $CountO -Setting greedy, 'args w=1', 'args w=4' -MaxNewTokens 8 -NoCoherence -OutputFolder $folder -Title 'Example run' 6> $null
        $report.FullName | Should -Be (Join-Path $folder 'report.html')
        (Get-Content $report.FullName -Raw) | Should -Match '<title>Example run</title>'
        @(Get-ChildItem (Join-Path $folder 'charts') -Filter *.png).Count | Should -Be 4
        $csv = @(Import-Csv (Join-Path $folder 'summary.csv'))
        $csv.setting | Should -Be @('greedy', 'args w=1', 'args w=4')
        $loaded = [AlignedGen.Evaluation.ComparisonResultFiles]::Load($folder)
        $loaded.PromptCount | Should -Be 4
        $loaded.Responses.PromptId | Select-Object -First 4 | Should -Be @('p0', 'p1', 'p2', 'p3')
    }
}

Describe 'Evaluation cmdlets on shared models' {
    It 'Compare-DecodingStrategy on stories260K, guided by rm-llama-cached and judged by rm-wordpiece: StrategyComparison.Run''s numbers' -Skip:(-not $SharedModels) {
        $lm = Import-AlignedModel (Get-SharedPath models stories260K)
        $guide = Import-RewardModel (Get-SharedPath models rm-llama-cached)
        $judge = Import-RewardModel (Get-SharedPath models rm-wordpiece)
        try {
            $storyPrompts = 'Once upon a time', 'Lily saw a cat'
            $settings = 'greedy', 'args w=1.5'
            $result = Compare-DecodingStrategy $lm -Prompt $storyPrompts -Setting $settings -GuidingReward $guide -HeldOutReward $judge -MaxNewTokens 8 -Seed 1 -NoCoherence -PassThru | Select-Object -Last 1
            $options = [AlignedGen.Evaluation.ComparisonOptions]::new([AlignedGen.Evaluation.ComparisonSettingSpec]::ParseAll([string[]]$settings))
            $options.Generation = [AlignedGen.Decoding.GenerationOptions]::new(8, 16, $null, $true, $true, [NullString]::Value, 1)
            $options.GuidingReward = $guide
            $options.HeldOutReward = $judge
            $requests = [AlignedGen.Decoding.GenerationRequest[]]@($storyPrompts | ForEach-Object { [AlignedGen.Decoding.GenerationRequest]::new($_, [NullString]::Value, [NullString]::Value) })
            $oracle = [AlignedGen.Evaluation.StrategyComparison]::new($lm, $options).Run($requests, $null, [Threading.CancellationToken]::None)
            Assert-SameResponses $result.Responses $oracle.Responses
            $result.Summaries[1].VersusBaseline | Should -Be $oracle.Summaries[1].VersusBaseline
            # The judge scores like the reward model called directly, through Measure-AlignmentQuality as well.
            $measured = @($result.Responses | Measure-AlignmentQuality -HeldOutReward $judge)
            $measured.HeldOutReward | Should -Be @($oracle.Responses.HeldOutReward)
        }
        finally { $lm.Dispose(); $guide.Dispose(); $judge.Dispose() }
    }
}
