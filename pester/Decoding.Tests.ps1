# Import-AlignedModel and Invoke-RewardGuidedDecode on the embedded demo model (no shared/ needed): results against the
# library's own TextGenerator with the same options (the oracle), pipeline binding, error ids, progress, Ctrl+C and
# script-block rewards called from the decoding worker. One test uses stories260K + rm-llama-cached from ../shared.

BeforeDiscovery {
    . $PSScriptRoot/TestSupport/Common.ps1
    $script:SharedArgs = (Get-SharedPath models stories260K) -and (Get-SharedPath models rm-llama-cached)
    if (-not $script:SharedArgs) { Write-SkipReason 'Invoke-RewardGuidedDecode on stories260K + rm-llama-cached' $script:SharedSkipReason }
}

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    $script:Model = Import-AlignedModel $Demo
    $script:Prompts = 'Once upon a time', 'The little dog', 'She said', 'In the morning', 'A bird'
    # A rule reward: the number of letters e in the response (script and .NET delegate versions of the same rule).
    $script:CountE = { param($Prompt, $Response) ([regex]::Matches($Response, 'e')).Count }
    $script:CountEBatch = [Func[System.Collections.Generic.IReadOnlyList[AlignedGen.Rewards.RewardQuery], float[]]] {
        param($queries)
        [float[]]@(foreach ($q in $queries) { ([regex]::Matches($q.Response, 'e')).Count })
    }

    function Invoke-CoreGenerate {
        <# The oracle: TextGenerator.Generate over all prompts at once (one batch of 16), synchronously on this thread. #>
        param($Strategy, [int] $MaxNewTokens, $Seed, $Reward = $null)
        $generator = [AlignedGen.Decoding.TextGenerator]::new($Model, $Reward)
        $requests = [AlignedGen.Decoding.GenerationRequest[]]@(for ($i = 0; $i -lt $Prompts.Count; $i++) { [AlignedGen.Decoding.GenerationRequest]::new($Prompts[$i], "$i", [NullString]::Value) })
        $options = [AlignedGen.Decoding.GenerationOptions]::new($MaxNewTokens, 16, $null, $true, $true, [NullString]::Value, $Seed)
        $generator.Generate($requests, $Strategy, $options, $null, [Threading.CancellationToken]::None)
    }
}

AfterAll {
    if ($Model) { $Model.Dispose() }
}

Describe 'Import-AlignedModel' {
    It 'loads a model folder into an ICausalLanguageModel' {
        $Model | Should -BeOfType ([AlignedGen.Models.ICausalLanguageModel])
        $Model.Folder | Should -Be $Demo
        $Model.Config.VocabularySize | Should -Be 259
    }

    It 'takes the folder from Get-Item by property name (FullName)' {
        $loaded = Get-Item $Demo | Import-AlignedModel
        try { $loaded.Name | Should -Be (Split-Path $Demo -Leaf) } finally { $loaded.Dispose() }
    }

    It 'stops with AlignedGen.ModelFolder for a folder that is not a model' {
        { Import-AlignedModel -Path $TestDrive } | Should -Throw -ErrorId 'AlignedGen.ModelFolder,*'
    }

    # This module is the CPU flavour, so CUDA is never available here (build/gpu-flavour-check.sh asks the GPU flavour).
    It 'stops with AlignedGen.CudaUnavailable (ResourceUnavailable, target cuda:N) for -Device Cuda' {
        $err = $null
        try { Import-AlignedModel -Path $Demo -Device Cuda -DeviceId 1 -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.CudaUnavailable,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.TargetObject | Should -Be 'cuda:1'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-AllowCpuFallback*'
    }

    It 'runs on the CPU and says so with -Device Cuda -AllowCpuFallback' {
        $fallback = Import-AlignedModel -Path $Demo -Device Cuda -AllowCpuFallback
        try { $fallback.ExecutionReport | Should -BeLike 'CPU (fallback: CUDA device 0 unavailable:*' } finally { $fallback.Dispose() }
    }
}

Describe 'Invoke-RewardGuidedDecode against TextGenerator' {
    It 'greedy: the same token ids and text as the library, whatever -BatchSize' {
        $expected = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.SamplingStrategy]::Greedy) -MaxNewTokens 12 -Seed 1
        $actual = @(Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -Prompt $Prompts -MaxNewTokens 12 -BatchSize 2)
        $actual.Count | Should -Be $Prompts.Count
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i].Id | Should -Be "$i"
            $actual[$i].Prompt | Should -BeExactly $Prompts[$i]
            $actual[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
            $actual[$i].Response | Should -BeExactly $expected[$i].Text
            $actual[$i].Strategy | Should -Be 'greedy'
        }
    }

    It 'sampling with -Seed: the same ids as the library with the same seed, at batch sizes 1 and 8' {
        $strategy = [AlignedGen.Decoding.SamplingStrategy]::new([AlignedGen.Decoding.SamplingOptions]::new(0.9, 0, 0.95))
        $expected = Invoke-CoreGenerate -Strategy $strategy -MaxNewTokens 10 -Seed 42
        $one = @($Prompts | Invoke-RewardGuidedDecode -Model $Model -Strategy Sample -Temperature 0.9 -TopP 0.95 -Seed 42 -MaxNewTokens 10 -BatchSize 1)
        $eight = @($Prompts | Invoke-RewardGuidedDecode -Model $Model -Strategy Sample -Temperature 0.9 -TopP 0.95 -Seed 42 -MaxNewTokens 10 -BatchSize 8)
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $one[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
            $eight[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
        }
        # A different seed samples something else somewhere (the distribution is not degenerate).
        $other = @($Prompts | Invoke-RewardGuidedDecode -Model $Model -Strategy Sample -Temperature 0.9 -TopP 0.95 -Seed 43 -MaxNewTokens 10)
        ($other.Response -join '|') | Should -Not -Be ($one.Response -join '|')
    }

    It 'ARGS with a script reward: the same ids as the library with the same rule as a .NET delegate reward' {
        $delegateReward = [AlignedGen.Rewards.DelegateRewardSource]::Batched('count-e', $CountEBatch)
        $args = [AlignedGen.Decoding.ArgsStrategy]::new([AlignedGen.Decoding.ArgsOptions]::new(5, 5.0, $false, 0.7))
        $expected = Invoke-CoreGenerate -Strategy $args -MaxNewTokens 8 -Seed 3 -Reward $delegateReward
        $actual = @(Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Prompt $Prompts -CandidateCount 5 -Weight 5 -MaxNewTokens 8 -Seed 3 -BatchSize 3)
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
            $actual[$i].Reward | Should -Be $expected[$i].Reward
            $actual[$i].Strategy | Should -Be 'args-greedy'
        }
        # The guidance works: more letters e than greedy decoding of the same prompts.
        $greedy = @(Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -Prompt $Prompts -MaxNewTokens 8)
        $eCount = { param($texts) ($texts | ForEach-Object { ([regex]::Matches($_, 'e')).Count } | Measure-Object -Sum).Sum }
        (& $eCount $actual.Response) | Should -BeGreaterThan (& $eCount $greedy.Response)
    }

    It 'runs a script reward on the pipeline thread while decoding runs on a worker' {
        $threads = [System.Collections.Generic.List[int]]::new()
        $reward = New-ScriptReward { param($Prompt, $Response) $threads.Add([Environment]::CurrentManagedThreadId); $Response.Length }
        $result = Invoke-RewardGuidedDecode -Model $Model -RewardModel $reward -Prompt 'Once upon a time' -CandidateCount 3 -MaxNewTokens 4
        $result.RewardCalls | Should -BeGreaterThan 0
        $threads.Count | Should -BeGreaterThan 3
        $threads | Select-Object -Unique | Should -Be ([Environment]::CurrentManagedThreadId)
        $reward.PairsScored | Should -Be $threads.Count
    }

    It 'each strategy has its own parameters: -TopK filters sampling (default off), -CandidateCount is ARGS''s k' {
        $sample = @(Invoke-RewardGuidedDecode -Model $Model -Strategy Sample -TopK 3 -Seed 5 -Prompt $Prompts -MaxNewTokens 8)
        $core = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.SamplingStrategy]::new([AlignedGen.Decoding.SamplingOptions]::new(0.7, 3, 1.0))) -MaxNewTokens 8 -Seed 5
        for ($i = 0; $i -lt $Prompts.Count; $i++) { $sample[$i].TokenIds | Should -Be @($core[$i].TokenIds) }
        $unfiltered = @(Invoke-RewardGuidedDecode -Model $Model -Strategy Sample -Seed 5 -Prompt $Prompts -MaxNewTokens 8)
        $plain = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.SamplingStrategy]::new([AlignedGen.Decoding.SamplingOptions]::new(0.7, 0, 1.0))) -MaxNewTokens 8 -Seed 5
        for ($i = 0; $i -lt $Prompts.Count; $i++) { $unfiltered[$i].TokenIds | Should -Be @($plain[$i].TokenIds) }
        { Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy Args -TopK 3 -Prompt 'x' -MaxNewTokens 2 } |
            Should -Throw -ErrorId 'NamedParameterNotFound,*'
        { Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -CandidateCount 3 -Prompt 'x' -MaxNewTokens 2 } | Should -Throw -ErrorId 'NamedParameterNotFound,*'
    }

    It 'shows each strategy''s parameters, from the library''s strategy registry, for -Strategy <Strategy>' -ForEach @(
        @{ Strategy = 'Args'; Parameters = 'Weight', 'CandidateCount' }
        @{ Strategy = 'ArgsStochastic'; Parameters = 'Weight', 'CandidateCount', 'Temperature' }
        @{ Strategy = 'Sample'; Parameters = 'Temperature', 'TopK', 'TopP' }
        @{ Strategy = 'BestOfN'; Parameters = 'N', 'Temperature', 'TopK', 'TopP', 'KeepAll' }
        @{ Strategy = 'Greedy'; Parameters = @() }
        @{ Strategy = 'Cards'; Parameters = 'RewardThreshold', 'RewardGain', 'EntropyThreshold', 'Alpha', 'Beta', 'TopK', 'MinSegmentLength', 'MaxSegmentLength', 'MaxRetries', 'HardAcceptance' }
        @{ Strategy = 'SpeculativeRejection'; Parameters = 'N', 'Alpha', 'FirstDecision', 'DecisionPoints', 'Temperature', 'TopK', 'TopP' }
    ) {
        $cmdlet = [AlignedGen.PowerShell.Cmdlets.InvokeRewardGuidedDecodeCommand]::new()
        $cmdlet.Strategy = $Strategy
        $dynamic = @($cmdlet.GetDynamicParameters().Keys)
        ($dynamic | Sort-Object) | Should -Be ($Parameters | Sort-Object)
        $descriptor = [AlignedGen.Decoding.StrategyRegistry]::Default.Get($Strategy)
        $dynamic.Count | Should -Be $descriptor.Parameters.Count
    }

    It 'ARGS-stochastic by name: the same ids as the library with the same seed and temperature' {
        $delegateReward = [AlignedGen.Rewards.DelegateRewardSource]::Batched('count-e', $CountEBatch)
        $expected = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.ArgsStrategy]::new([AlignedGen.Decoding.ArgsOptions]::new(4, 2.0, $true, 0.5))) -MaxNewTokens 6 -Seed 8 -Reward $delegateReward
        $actual = @(Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy ArgsStochastic -CandidateCount 4 -Weight 2 -Temperature 0.5 -Seed 8 -Prompt $Prompts -MaxNewTokens 6)
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
            $actual[$i].Strategy | Should -Be 'args-stochastic'
        }
    }

    It 'Cards by name with its parameters: the same ids as the library''s CardsStrategy with the same options and seed' {
        $options = [AlignedGen.Decoding.CardsOptions]::new($null, 1.0, 3.0, 0.5, 0.7, 40, 2, 4, 2, [AlignedGen.Decoding.CardsAcceptance]::Hard)
        $core = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.CardsStrategy]::new($options)) -MaxNewTokens 10 -Seed 4 `
            -Reward ([AlignedGen.Rewards.DelegateRewardSource]::Batched('count-e', $CountEBatch))
        $actual = @(Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy Cards -RewardGain 1 -MinSegmentLength 2 -MaxSegmentLength 4 `
            -MaxRetries 2 -HardAcceptance -Seed 4 -Prompt $Prompts -MaxNewTokens 10)
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i].Strategy | Should -Be 'cards'
            $actual[$i].TokenIds | Should -Be @($core[$i].TokenIds)
            $actual[$i].Reward | Should -Be ([regex]::Matches($actual[$i].Response, 'e')).Count
        }
        { Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy Cards -Alpha 2 -Prompt 'x' -MaxNewTokens 2 } |
            Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*' -ExpectedMessage '*-Strategy Cards*between 0 and 1*'
    }

    It 'SpeculativeRejection by name with -N -Alpha -DecisionPoints: the same ids as the library''s strategy' {
        $sampling = [AlignedGen.Decoding.SamplingOptions]::new(0.9, 20, 1.0)
        $options = [AlignedGen.Decoding.SpeculativeRejectionOptions]::new(6, 0.5, 8, [int[]](2, 5), $sampling)
        $core = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.SpeculativeRejectionStrategy]::new($options)) -MaxNewTokens 10 -Seed 6 `
            -Reward ([AlignedGen.Rewards.DelegateRewardSource]::Batched('count-e', $CountEBatch))
        $actual = @(Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy SpeculativeRejection -N 6 -Alpha 0.5 -DecisionPoints '2,5' `
            -Temperature 0.9 -TopK 20 -Seed 6 -Prompt $Prompts -MaxNewTokens 10)
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i].Strategy | Should -Be 'speculative-rejection-6'
            $actual[$i].TokenIds | Should -Be @($core[$i].TokenIds)
        }
        { Invoke-RewardGuidedDecode -Model $Model -Strategy SpeculativeRejection -Prompt 'x' -MaxNewTokens 2 } | Should -Throw -ErrorId 'AlignedGen.RewardModelRequired,*'
    }

    It 'Best-of-N: the library choice, the best of its N samples, with Reward = the script reward of the response' {
        $best = @(Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy BestOfN -N 6 -Seed 9 -Prompt $Prompts -MaxNewTokens 12)
        $sampling = [AlignedGen.Decoding.SamplingOptions]::new(0.7, 0, 1.0)
        $core = Invoke-CoreGenerate -Strategy ([AlignedGen.Decoding.BestOfNStrategy]::new([AlignedGen.Decoding.BestOfNOptions]::new(6, $sampling, $true))) `
            -MaxNewTokens 12 -Seed 9 -Reward ([AlignedGen.Rewards.DelegateRewardSource]::Batched('count-e', $CountEBatch))
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $best[$i].Strategy | Should -Be 'best-of-6'
            $best[$i].TokenIds | Should -Be @($core[$i].TokenIds)
            $best[$i].Reward | Should -Be ([regex]::Matches($best[$i].Response, 'e')).Count
            $all = @($core[$i].Alternatives | ForEach-Object Reward) + $core[$i].Reward
            $best[$i].Reward | Should -Be ($all | Measure-Object -Maximum).Maximum
        }
    }
}

Describe 'Invoke-RewardGuidedDecode output and input' {
    It 'writes DecodedResponse objects with generated ids only, tokens, finish reason and costs' {
        $r = Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -Prompt 'Once upon a time' -MaxNewTokens 6
        $r | Should -BeOfType ([AlignedGen.PowerShell.Output.DecodedResponse])
        $r.TokenIds.Count | Should -Be 6
        $r.Tokens.Count | Should -Be 6
        $r.FinishReason | Should -Be 'Length'
        $r.PromptTokenCount | Should -BeGreaterThan 6
        $decoded = ConvertFrom-TokenId -Tokenizer $Demo -TokenId $r.TokenIds
        $decoded | Should -BeExactly $r.Response
        $r.LmCalls | Should -BeGreaterThan 0
        $r.LmTokens | Should -BeGreaterOrEqual $r.PromptTokenCount
        $r.RewardCalls | Should -Be 0
        $r.ElapsedMs | Should -BeGreaterThan 0
        ($r | Format-Table | Out-String) | Should -Match 'Strategy\s+Reward\s+Tokens\s+Finish\s+Response'
    }

    It 'takes prompts by value and from Prompt/Id columns of Import-Csv and Import-JsonLines rows' {
        $csv = Join-Path $TestDrive 'prompts.csv'
        "Id,Prompt`nx1,Once upon a time`nx2,She said" | Set-Content $csv
        $jsonl = Join-Path $TestDrive 'prompts.jsonl'
        '{"id":"j1","prompt":"Once upon a time"}', '{"id":"j2","prompt":"She said"}' | Set-Content $jsonl
        $byValue = @('Once upon a time', 'She said' | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 5)
        $fromCsv = @(Import-Csv $csv | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 5)
        $fromJson = @(Import-JsonLines $jsonl | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 5)
        $byValue.Id | Should -Be @('0', '1')
        $fromCsv.Id | Should -Be @('x1', 'x2')
        $fromJson.Id | Should -Be @('j1', 'j2')
        $fromCsv.Response | Should -Be $byValue.Response
        $fromJson.Response | Should -Be $byValue.Response
    }

    It 'refuses an object without a Prompt (non-terminating) and decodes the rest' {
        $results = @([pscustomobject]@{ Text = 'x' }, 'She said' | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 3 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.InvalidArgument,*'
    }

    It 'wraps prompts in -ChatTemplate as the library does' {
        $generator = [AlignedGen.Decoding.TextGenerator]::new($Model, $null)
        $options = [AlignedGen.Decoding.GenerationOptions]::new(6, 16, $null, $true, $true, 'chatml', $null)
        $expected = $generator.EncodePrompt('She said', $options)
        $raw = Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -Prompt 'She said' -MaxNewTokens 6
        $chat = Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -Prompt 'She said' -MaxNewTokens 6 -ChatTemplate chatml
        $chat.PromptTokenCount | Should -Be $expected.Count
        $chat.PromptTokenCount | Should -BeGreaterThan $raw.PromptTokenCount
        $core = $generator.Generate([AlignedGen.Decoding.GenerationRequest[]]@([AlignedGen.Decoding.GenerationRequest]::new('She said', [NullString]::Value, [NullString]::Value)),
            [AlignedGen.Decoding.SamplingStrategy]::Greedy, $options, $null, [Threading.CancellationToken]::None)
        $chat.TokenIds | Should -Be @($core[0].TokenIds)
    }

    It 'accepts a model folder for -Model' {
        (Invoke-RewardGuidedDecode -Model $Demo -Strategy Greedy -Prompt 'She said' -MaxNewTokens 4).TokenIds.Count | Should -Be 4
    }

    It 'stops with AlignedGen.RewardModelRequired for <_> without -RewardModel' -ForEach 'Args', 'BestOfN' {
        { Invoke-RewardGuidedDecode -Model $Model -Strategy $_ -Prompt 'x' } | Should -Throw -ErrorId 'AlignedGen.RewardModelRequired,*'
    }

    It 'stops with AlignedGen.InvalidArgument for an option the library refuses (ARGS -CandidateCount 0), naming -Strategy' {
        { Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -CandidateCount 0 -Prompt 'x' } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
        { Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -CandidateCount 0 -Prompt 'x' } | Should -Throw -ExpectedMessage '-Strategy Args: ARGS top-k must be at least 1*'
        $err = { Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -CandidateCount 0 -Weight 2 -Prompt 'x' } | Should -Throw -PassThru
        # The target is what the user typed for the strategy, not the C# parameter the core names.
        $err.TargetObject | Should -BeLike '-Strategy Args -*'
        $err.TargetObject | Should -Match '-CandidateCount 0\b'
        $err.TargetObject | Should -Match '-Weight 2\b'
        $err.ToString() | Should -Not -Match "\(Parameter '|Actual value was"
        { Invoke-RewardGuidedDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Strategy Sample -TopK -1 -Prompt 'x' } | Should -Throw -ExpectedMessage '-Strategy Sample: Top-k must be 0 (off) or more*' 
    }

    It 'refuses an unknown -Strategy, listing the registered ones' {
        { Invoke-RewardGuidedDecode -Model $Model -Strategy Beam -Prompt 'x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Invoke-RewardGuidedDecode -Model $Model -Strategy Beam -Prompt 'x' } | Should -Throw -ExpectedMessage '*BestOfN*ArgsStochastic*' 
    }

    It 'validates -BatchSize' {
        { Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -Prompt 'a' -BatchSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'stops with AlignedGen.RewardSource when a script reward writes no number' {
        $bad = New-ScriptReward { param($Prompt, $Response) 'not a number' }
        { Invoke-RewardGuidedDecode -Model $Model -RewardModel $bad -Prompt 'x' -MaxNewTokens 2 } | Should -Throw -ErrorId 'AlignedGen.RewardSource,*'
    }
}

Describe 'Invoke-RewardGuidedDecode progress and cancellation' {
    It 'writes progress with PercentComplete for a -Prompt array and ends with Completed' {
        $run = Invoke-InNewRunspace "Invoke-RewardGuidedDecode -Model '$Demo' -Strategy Greedy -MaxNewTokens 4 -BatchSize 2 -Prompt 'a', 'b', 'c', 'd', 'e', 'f'"
        $run.Output.Count | Should -Be 6
        $records = @($run.Streams.Progress)
        $processing = @($records | Where-Object RecordType -EQ 'Processing')
        $processing.Count | Should -BeGreaterThan 0
        $processing.PercentComplete | ForEach-Object { $_ | Should -BeGreaterOrEqual 0; $_ | Should -BeLessOrEqual 100 }
        $processing[-1].PercentComplete | Should -Be 100
        $records[-1].RecordType | Should -Be 'Completed'
        @($records | Select-Object -ExpandProperty ActivityId -Unique).Count | Should -Be 1
    }

    It 'stops promptly on Ctrl+C (Stop) and keeps the results already written' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; Invoke-RewardGuidedDecode -Model '$Demo' -Strategy Greedy -MaxNewTokens 400 -BatchSize 1 -Prompt (1..300 | ForEach-Object { 'Once upon a time' })")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $inputData = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $inputData.Complete()
        $handle = $ps.BeginInvoke($inputData, $output)
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($output.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $output.Count | Should -BeGreaterOrEqual 2
        $output.Count | Should -BeLessThan 300
        $output[0].TokenIds.Count | Should -Be 400
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $ps.Dispose()
        $runspace.Dispose()
    }
}

Describe 'Invoke-RewardGuidedDecode on shared models' {
    It 'ARGS on stories260K with rm-llama-cached: the same ids and rewards as the library' -Skip:(-not $SharedArgs) {
        $lm = Import-AlignedModel (Get-SharedPath models stories260K)
        $rm = Import-RewardModel (Get-SharedPath models rm-llama-cached)
        try {
            $prompts = 'Once upon a time', 'Lily saw a cat'
            $generator = [AlignedGen.Decoding.TextGenerator]::new($lm, $rm)
            $requests = [AlignedGen.Decoding.GenerationRequest[]]@($prompts | ForEach-Object { [AlignedGen.Decoding.GenerationRequest]::new($_, [NullString]::Value, [NullString]::Value) })
            $options = [AlignedGen.Decoding.GenerationOptions]::new(16, 16, $null, $true, $true, [NullString]::Value, 1)
            $expected = $generator.Generate($requests, [AlignedGen.Decoding.ArgsStrategy]::new([AlignedGen.Decoding.ArgsOptions]::new(10, 1.5, $false, 0.7)), $options, $null, [Threading.CancellationToken]::None)
            $actual = @(Invoke-RewardGuidedDecode -Model $lm -RewardModel $rm -Prompt $prompts -Weight 1.5 -MaxNewTokens 16 -Seed 1)
            for ($i = 0; $i -lt 2; $i++) {
                $actual[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
                $actual[$i].Reward | Should -Be $expected[$i].Reward
            }
        }
        finally { $lm.Dispose(); $rm.Dispose() }
    }
}

Describe 'Invoke-RewardGuidedDecode -Stream' {
    BeforeAll {
        $script:Demo = Import-AlignedModel ([AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel())
        $script:Prompts = @('Once upon a time', 'The little dog')
    }
    AfterAll { if ($Demo) { $Demo.Dispose() } }

    It 'shows each response on the host piece by piece, one line per response, and writes the same objects as without -Stream' {
        $plain = @($Prompts | Invoke-RewardGuidedDecode -Model $Demo -Strategy Greedy -MaxNewTokens 8)
        $streamed = @($Prompts | Invoke-RewardGuidedDecode -Model $Demo -Strategy Greedy -MaxNewTokens 8 -Stream -InformationVariable shown 6>$null)
        $streamed.Response | Should -Be $plain.Response
        $streamed.TokenIds | Should -Be $plain.TokenIds
        @($shown | Where-Object { $_.Tags -notcontains 'PSHOST' }).Count | Should -Be 0
        # Oracle: the responses themselves, each ending its line; greedy streams more than one piece per response.
        (-join ($shown | ForEach-Object { $m = $_.MessageData; if ($m.NoNewLine) { $m.Message } else { $m.Message + "`n" } })) |
            Should -Be (($plain.Response | ForEach-Object { "$_`n" }) -join '')
        @($shown | Where-Object { $_.MessageData.Message }).Count | Should -BeGreaterThan $Prompts.Count
    }

    It 'shows a Best-of-N response at once, when it is decided' {
        $reward = New-ScriptReward -Name len { param($Prompt, $Response) $Response.Length }
        $out = @('Once upon a time' | Invoke-RewardGuidedDecode -Model $Demo -RewardModel $reward -Strategy BestOfN -MaxNewTokens 6 -Seed 3 -Stream -InformationVariable shown 6>$null)
        @($shown | Where-Object { $_.MessageData.Message }).Count | Should -Be 1
        $shown[0].MessageData.Message | Should -Be $out[0].Response
    }
}
