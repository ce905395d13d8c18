# Invoke-DarwinDecode on the embedded demo model (no shared/ needed): results against the library's own TextGenerator
# with a DarwinStrategy of the same options (the oracle), pipeline binding, the trace, and error ids.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    $script:Model = Import-AlignedModel $Demo
    $script:Prompts = 'Once upon a time', 'The little dog', 'She said'
    # A rule reward: the number of letters e in the response (script and .NET delegate versions of the same rule).
    $script:CountE = { param($Prompt, $Response) ([regex]::Matches($Response, 'e')).Count }
    $script:CountEBatch = [Func[System.Collections.Generic.IReadOnlyList[AlignedGen.Rewards.RewardQuery], float[]]] {
        param($queries)
        [float[]]@(foreach ($q in $queries) { ([regex]::Matches($q.Response, 'e')).Count })
    }
    # Small DARWIN settings so the search stays fast on the demo model; a short mutation prompt because the default one
    # is longer than the byte-level demo model's 512-token context.
    $script:Small = @{ MutationPrompt = 'Write {count} new versions of: {instruction}'; Mutations = 3; Keep = 2; Iterations = 2; ReplacementPeriod = 4; MutationMaxNewTokens = 24; MaxNewTokens = 12; Temperature = 0.8; TopK = 20 }

    function Invoke-CoreDarwin {
        <# The oracle: TextGenerator.Generate with a DarwinStrategy over all prompts at once (one batch of 16), on this thread. #>
        param([int] $Seed, [bool] $Mutate = $true)
        $reward = [AlignedGen.Rewards.DelegateRewardSource]::Batched('count-e', $CountEBatch)
        $options = [AlignedGen.Decoding.DarwinOptions]::new($Small.Mutations, $Small.ReplacementPeriod, $Small.Keep, $Small.Iterations, 1,
            [AlignedGen.Decoding.SamplingOptions]::new($Small.Temperature, $Small.TopK, 1.0), $Small.MutationPrompt, $Small.MutationMaxNewTokens, $Mutate,
            $null, 2, $false, $null)
        $generator = [AlignedGen.Decoding.TextGenerator]::new($Model, $reward)
        $requests = [AlignedGen.Decoding.GenerationRequest[]]@(for ($i = 0; $i -lt $Prompts.Count; $i++) { [AlignedGen.Decoding.GenerationRequest]::new($Prompts[$i], "$i", [NullString]::Value) })
        $generation = [AlignedGen.Decoding.GenerationOptions]::new($Small.MaxNewTokens, 16, $null, $true, $true, [NullString]::Value, $Seed)
        $generator.Generate($requests, [AlignedGen.Decoding.DarwinStrategy]::new($options), $generation, $null, [Threading.CancellationToken]::None)
    }
}

AfterAll {
    if ($Model) { $Model.Dispose() }
}

Describe 'Invoke-DarwinDecode against DarwinStrategy' {
    It 'with mutation: the same ids, text and reward as the library with the same options and seed, at batch size 2' {
        $expected = Invoke-CoreDarwin -Seed 11
        $actual = @(Invoke-DarwinDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Prompt $Prompts -Seed 11 -BatchSize 2 @Small)
        $actual.Count | Should -Be $Prompts.Count
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i] | Should -BeOfType ([AlignedGen.PowerShell.Output.DecodedResponse])
            $actual[$i].Id | Should -Be "$i"
            $actual[$i].Strategy | Should -Be 'darwin'
            $actual[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
            $actual[$i].Response | Should -BeExactly $expected[$i].Text
            $actual[$i].Reward | Should -Be $expected[$i].Reward
            $actual[$i].Reward | Should -Be ([regex]::Matches($actual[$i].Response, 'e')).Count
            $actual[$i].PSObject.Properties['Trace'] | Should -BeNullOrEmpty
        }
    }

    It '-NoMutation: the same ids as the library with mutate off, and a replacement-only trace' {
        $expected = Invoke-CoreDarwin -Seed 5 -Mutate $false
        $actual = @($Prompts | Invoke-DarwinDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -NoMutation -IncludeTrace -Seed 5 @Small)
        for ($i = 0; $i -lt $Prompts.Count; $i++) {
            $actual[$i].TokenIds | Should -Be @($expected[$i].TokenIds)
            $actual[$i].Trace.ReplacementOnly | Should -BeTrue
            $actual[$i].Trace.Iterations | ForEach-Object {
                $_.Mutations.Count | Should -Be 0
                $_.Instructions | Should -Be (@($_.Parent) * $Small.Mutations)
            }
        }
    }
}

Describe 'Invoke-DarwinDecode output and input' {
    It '-IncludeTrace adds the library DarwinTrace with one record per iteration' {
        $r = Invoke-DarwinDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Prompt 'She said' -IncludeTrace -Seed 3 @Small
        $r | Should -BeOfType ([AlignedGen.PowerShell.Output.DecodedResponse])
        $r.Trace | Should -BeOfType ([AlignedGen.Decoding.DarwinTrace])
        $r.Trace.OriginalInstruction | Should -BeExactly 'She said'
        $r.Trace.Iterations.Count | Should -Be $Small.Iterations
        $r.Trace.Iterations.Number | Should -Be @(1, 2)
        $r.Trace.Iterations | ForEach-Object {
            $_.FinalRewards.Count | Should -Be $Small.Mutations
            # The model was asked to mutate once per iteration with -MutationPrompt and wrote something (the demo model
            # writes no parsable instruction list, so its beams fall back to the parent instruction).
            $_.Mutations.Count | Should -Be 1
            $_.Mutations[0].GeneratedTokenCount | Should -BeGreaterThan 0
            if (-not $_.Mutations[0].Parsed) { $_.Instructions | Should -Be (@($_.Parent) * $Small.Mutations) }
        }
        # The returned reward is the best over the seed and every beam of every iteration.
        $all = @($r.Trace.SeedReward) + @($r.Trace.Iterations | ForEach-Object { $_.FinalRewards })
        $r.Reward | Should -Be ($all | Measure-Object -Maximum).Maximum
    }

    It 'takes prompts by value and from Prompt/Id properties of piped objects' {
        $byValue = @('Once upon a time', 'She said' | Invoke-DarwinDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Seed 2 @Small)
        $byProperty = @([pscustomobject]@{ Id = 'a'; Prompt = 'Once upon a time' }, @{ Id = 'b'; Prompt = 'She said' } |
            Invoke-DarwinDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Seed 2 @Small)
        $byValue.Id | Should -Be @('0', '1')
        $byProperty.Id | Should -Be @('a', 'b')
        $byProperty.Prompt | Should -Be @('Once upon a time', 'She said')
        $byProperty.Response | Should -Be $byValue.Response
    }

    It 'stops with AlignedGen.RewardModelRequired without -RewardModel' {
        { Invoke-DarwinDecode -Model $Model -Prompt 'x' } | Should -Throw -ErrorId 'AlignedGen.RewardModelRequired,*'
    }

    It 'stops with AlignedGen.InvalidArgument for options the library refuses, targeting the parameter as typed: <Name>' -ForEach @(
        @{ Name = 'Keep above the beams'; Options = @{ Mutations = 2; Keep = 3 }; Target = '-Keep 3' }
        @{ Name = 'ReplacementPeriod 0'; Options = @{ ReplacementPeriod = 0 }; Target = '-ReplacementPeriod 0' }
        @{ Name = 'Iterations 0'; Options = @{ Iterations = 0 }; Target = '-Iterations 0' }
        @{ Name = 'MutationPrompt without {instruction}'; Options = @{ MutationPrompt = 'Rewrite this.' }; Target = '-MutationPrompt Rewrite this.' }
        @{ Name = 'negative Temperature'; Options = @{ Temperature = -1 }; Target = '-Temperature -1' }
    ) {
        $o = $Options
        $e = { Invoke-DarwinDecode -Model $Model -RewardModel (New-ScriptReward $CountE) -Prompt 'x' @o } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*' -PassThru
        $e.TargetObject | Should -Be $Target
        $e.ErrorDetails.Message | Should -Not -BeLike "*(Parameter '*"
    }
}
