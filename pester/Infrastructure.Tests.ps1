# The module's cmdlet infrastructure, driven through test-only probe cmdlets (TestSupport/ProbeCmdlets.cs) built on
# the same public base classes the real cmdlets use: error mapping, background work with progress, cancellation,
# and prompt binding/batching.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    Import-ProbeCmdlets
    $script:Probe = [AlignedGen.PesterProbes.TestProbeBackgroundWorkCommand]
}

Describe 'ErrorRecordFactory' {
    It 'maps <Exception> to <ErrorId> / <Category>' -ForEach @(
        @{ Exception = 'ArgumentException'; Make = { [ArgumentException]::new('bad', 'Temperature') }; ErrorId = 'AlignedGen.InvalidArgument'; Category = 'InvalidArgument'; Target = 'Temperature' }
        @{ Exception = 'ArgumentOutOfRangeException'; Make = { [ArgumentOutOfRangeException]::new('TopK', -1, 'positive') }; ErrorId = 'AlignedGen.InvalidArgument'; Category = 'InvalidArgument'; Target = 'TopK' }
        @{ Exception = 'ModelFolderException (missing)'; Make = { [AlignedGen.ModelFolderException]::new('/no/such/folder', 'missing', 'fix it') }; ErrorId = 'AlignedGen.ModelFolder'; Category = 'ObjectNotFound'; Target = '/no/such/folder' }
        @{ Exception = 'ModelFolderException (exists)'; Make = { [AlignedGen.ModelFolderException]::new('/', 'no model', 'fix it') }; ErrorId = 'AlignedGen.ModelFolder'; Category = 'OpenError'; Target = '/' }
        @{ Exception = 'RewardSourceException'; Make = { [AlignedGen.Rewards.RewardSourceException]::new('rm', 2, 'NaN') }; ErrorId = 'AlignedGen.RewardSource'; Category = 'InvalidResult'; Target = 'rm' }
        @{ Exception = 'OperationCanceledException'; Make = { [OperationCanceledException]::new() }; ErrorId = 'AlignedGen.OperationStopped'; Category = 'OperationStopped'; Target = $null }
        @{ Exception = 'FileNotFoundException'; Make = { [IO.FileNotFoundException]::new('gone', '/x.jsonl') }; ErrorId = 'AlignedGen.FileNotFound'; Category = 'ObjectNotFound'; Target = '/x.jsonl' }
        @{ Exception = 'UnauthorizedAccessException'; Make = { [UnauthorizedAccessException]::new() }; ErrorId = 'AlignedGen.PermissionDenied'; Category = 'PermissionDenied'; Target = $null }
        @{ Exception = 'IOException'; Make = { [IO.IOException]::new('disk') }; ErrorId = 'AlignedGen.IOError'; Category = 'ResourceUnavailable'; Target = $null }
        @{ Exception = 'OnnxRuntimeException'; Make = { try { [Microsoft.ML.OnnxRuntime.InferenceSession]::new('/no/such/model.onnx') } catch { $_.Exception.InnerException } }; ErrorId = 'AlignedGen.OnnxRuntime'; Category = 'InvalidOperation'; Target = $null }
        @{ Exception = 'AggregateException of one'; Make = { [AggregateException]::new([Exception[]]@([AlignedGen.Rewards.RewardSourceException]::new('rm', $null, 'x'))) }; ErrorId = 'AlignedGen.RewardSource'; Category = 'InvalidResult'; Target = 'rm' }
        @{ Exception = 'InvalidOperationException'; Make = { [InvalidOperationException]::new('bug') }; ErrorId = 'AlignedGen.Unexpected'; Category = 'NotSpecified'; Target = $null }
        @{ Exception = 'CudaUnavailableException'; Make = { [AlignedGen.Models.CudaUnavailableException]::new(1, 'no device 1.', 'use -Device Cpu.') }; ErrorId = 'AlignedGen.CudaUnavailable'; Category = 'ResourceUnavailable'; Target = 'cuda:1' }
        @{ Exception = 'DataFileException (missing file)'; Make = { [AlignedGen.Data.DataFileException]::new('/d/in.jsonl', $null, 'the file does not exist.', 'check the path (relative paths start at /proc/dir).', [IO.FileNotFoundException]::new('gone')) }; ErrorId = 'AlignedGen.FileNotFound'; Category = 'ObjectNotFound'; Target = '/d/in.jsonl' }
        @{ Exception = 'DataFileException (corrupt row)'; Make = { [AlignedGen.Data.DataFileException]::new('/d/in.jsonl', 3, 'bad', 'fix') }; ErrorId = 'AlignedGen.DataFile'; Category = 'InvalidData'; Target = '/d/in.jsonl:3' }
    ) {
        $record = [AlignedGen.PowerShell.Infrastructure.ErrorRecordFactory]::FromException((& $Make), $null)
        $record.FullyQualifiedErrorId | Should -BeExactly $ErrorId
        $record.CategoryInfo.Category | Should -Be $Category
        $record.TargetObject | Should -Be $Target
    }

    It 'puts the fix of a ModelFolderException into RecommendedAction' {
        $record = [AlignedGen.PowerShell.Infrastructure.ErrorRecordFactory]::FromException(
            [AlignedGen.ModelFolderException]::new('/m', 'no tokenizer.json', 'copy tokenizer.json next to model.onnx'), $null)
        $record.ErrorDetails.RecommendedAction | Should -BeExactly 'copy tokenizer.json next to model.onnx'
        $record.ErrorDetails.Message | Should -BeExactly '/m: no tokenizer.json'
    }

    It 'drops .NET''s (Parameter ''x'') and ''Actual value was'' trailers from the message it shows' {
        $record = [AlignedGen.PowerShell.Infrastructure.ErrorRecordFactory]::FromException([ArgumentOutOfRangeException]::new('topK', 0, 'TopK must be at least 1.'), 'args k=0')
        $record.ToString() | Should -BeExactly 'TopK must be at least 1.'
        $record.Exception.Message | Should -BeLike "*Parameter 'topK'*"
    }

    It 'words core fixes in cmdlet parameters: <Core>' -ForEach @(
        @{ Core = 'skip bad records (RelabelOptions.SkipBadRecords = true)'; Module = 'pass -SkipBadRecords' }
        @{ Core = 'set RelabelOptions.Strict = false'; Module = 'pass -Strict:$false' }
        @{ Core = 'set RelabelOptions.Resume = false, or choose another OutputPath'; Module = 'pass -Force, or choose another -OutputPath' }
        @{ Core = 'set ColumnMap.Id = null to identify rows by content'; Module = 'pass -IdColumn none to identify rows by content' }
    ) {
        $record = [AlignedGen.PowerShell.Infrastructure.ErrorRecordFactory]::FromException([AlignedGen.Data.DataFileException]::new('/d/x.jsonl', 2, 'bad row.', "repair it, or $Core."), $null)
        $record.ErrorDetails.RecommendedAction | Should -BeExactly "repair it, or $Module."
        $record.ToString() | Should -BeExactly "/d/x.jsonl, line 2: bad row. Fix: repair it, or $Module."
    }

    It 'has a wording for every core phrase that names a C# option, and none of them leaks C# names' {
        $wording = [AlignedGen.PowerShell.Infrastructure.ModuleWording]::Wording
        foreach ($phrase in [AlignedGen.SurfaceWording]::CorePhrases) {
            $wording.Translate($phrase) | Should -Not -Match 'RelabelOptions|ColumnMap|RelabelJob|(?<!-)\b(OutputPath|ScoreColumn)\b'
        }
    }

    It 'says where a missing data file was looked for: the PowerShell location, not the process directory' {
        $record = [AlignedGen.PowerShell.Infrastructure.ErrorRecordFactory]::FromException(
            [AlignedGen.Data.DataFileException]::new('/d/in.jsonl', $null, 'the file does not exist.', 'check the path (relative paths start at /proc/dir).', [IO.FileNotFoundException]::new('gone')), $null)
        $record.ToString() | Should -Not -BeLike '*/proc/dir*'
        $record.ErrorDetails.RecommendedAction | Should -BeLike '*PowerShell location*'
    }

    It 'uses the target it is given' {
        $record = [AlignedGen.PowerShell.Infrastructure.ErrorRecordFactory]::FromException([ArgumentException]::new('x', 'p'), 'prompt-7')
        $record.TargetObject | Should -Be 'prompt-7'
    }
}

Describe 'AlignedGenCmdlet errors' {
    It 'ThrowCoreError stops the command with <ErrorId> for <Kind>' -ForEach @(
        @{ Kind = 'Argument'; ErrorId = 'AlignedGen.InvalidArgument'; Category = 'InvalidArgument' }
        @{ Kind = 'ArgumentOutOfRange'; ErrorId = 'AlignedGen.InvalidArgument'; Category = 'InvalidArgument' }
        @{ Kind = 'ModelFolderMissing'; ErrorId = 'AlignedGen.ModelFolder'; Category = 'ObjectNotFound' }
        @{ Kind = 'ModelFolderExisting'; ErrorId = 'AlignedGen.ModelFolder'; Category = 'OpenError' }
        @{ Kind = 'RewardSource'; ErrorId = 'AlignedGen.RewardSource'; Category = 'InvalidResult' }
        @{ Kind = 'Canceled'; ErrorId = 'AlignedGen.OperationStopped'; Category = 'OperationStopped' }
        @{ Kind = 'Aggregate'; ErrorId = 'AlignedGen.RewardSource'; Category = 'InvalidResult' }
        @{ Kind = 'Other'; ErrorId = 'AlignedGen.Unexpected'; Category = 'NotSpecified' }
    ) {
        $err = { Test-ProbeCoreError -Kind $Kind -ExistingPath $TestDrive } | Should -Throw -ErrorId "$ErrorId,*" -PassThru
        $err.CategoryInfo.Category | Should -Be $Category
    }

    It 'WriteCoreError is non-terminating: the script goes on' {
        $after = $false
        Test-ProbeCoreError -Kind RewardSource -NonTerminating -ErrorVariable problems -ErrorAction SilentlyContinue
        $after = $true
        $after | Should -BeTrue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.RewardSource,*'
    }

    It 'WriteCoreError becomes terminating under -ErrorAction Stop' {
        { Test-ProbeCoreError -Kind Argument -NonTerminating -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }
}

Describe 'AlignedGenCmdlet.RunInBackground' {
    It 'runs the work off the pipeline thread and writes its objects in order' {
        $out = @(Test-ProbeBackgroundWork -Steps 25)
        $out.Step | Should -Be (1..25)
        $out.WorkerOnPipelineThread | Should -Not -Contain $true
    }

    It 'turns core progress into ProgressRecords with PercentComplete and ends with Completed' {
        $run = Invoke-InNewRunspace 'Test-ProbeBackgroundWork -Steps 5'
        $run.Output.Count | Should -Be 5
        $records = @($run.Streams.Progress)
        $processing = @($records | Where-Object RecordType -EQ 'Processing')
        $processing.PercentComplete | Should -Be @(20, 40, 60, 80, 100)
        $processing[0].Activity | Should -BeExactly 'Probe work'
        $processing[0].StatusDescription | Should -BeExactly 'step 1'
        $records[-1].RecordType | Should -Be 'Completed'
        @($records | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1
    }

    It 'reports PercentComplete -1 when the total is unknown' {
        $run = Invoke-InNewRunspace 'Test-ProbeBackgroundWork -Steps 3 -UnknownTotal'
        $processing = @($run.Streams.Progress | Where-Object RecordType -EQ 'Processing')
        $processing.Count | Should -BeGreaterOrEqual 1
        $processing.PercentComplete | Should -Not -Contain 100
        $processing[0].PercentComplete | Should -Be -1
        $run.Streams.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'keeps the objects written before a failure, maps the failure and still completes progress' {
        $run = Invoke-InNewRunspace 'Test-ProbeBackgroundWork -Steps 4 -FailAtEnd'
        $run.Output.Count | Should -Be 4
        $run.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.RewardSource,*'
        $run.Streams.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'cancels the work when downstream stops reading (Select-Object -First)' {
        $first = Test-ProbeBackgroundWork -Steps 10000 -DelayMilliseconds 2 | Select-Object -First 3
        $first.Step | Should -Be @(1, 2, 3)
        $Probe::LastRunCancelled | Should -BeTrue
        $Probe::LastRunStepsDone | Should -BeLessThan 10000
    }

    It 'cancels the work on Ctrl+C (StopProcessing) and stops promptly' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript('Import-Module -Assembly ([AlignedGen.PesterProbes.TestProbeBackgroundWorkCommand].Assembly); Test-ProbeBackgroundWork -Steps 100000 -DelayMilliseconds 10')
        $Probe::LastRunStepsDone = 0
        $handle = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($Probe::LastRunStepsDone -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $Probe::LastRunCancelled | Should -BeTrue
        $Probe::LastRunStepsDone | Should -BeLessThan 100000
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $ps.Dispose()
        $runspace.Dispose()
    }
}

Describe 'PromptPipelineCmdlet' {
    It 'hands on strings from the pipeline one by one, keeping order and indexes' {
        $items = @('a', 'b', 'c', 'd', 'e' | Test-ProbePrompt)
        $items.Prompt | Should -Be @('a', 'b', 'c', 'd', 'e')
        $items.Index | Should -Be @(0, 1, 2, 3, 4)
    }

    It 'does not batch: batching is the generator''s one stage, by the decoding cmdlets'' -BatchSize (default AlignedGenDefaults.BatchSize)' {
        (Get-Command Test-ProbePrompt).Parameters.ContainsKey('BatchSize') | Should -BeFalse
        $decode = [AlignedGen.PowerShell.Cmdlets.InvokeRewardGuidedDecodeCommand]::new()
        $decode.BatchSize | Should -Be ([AlignedGen.AlignedGenDefaults]::BatchSize)
        [AlignedGen.PowerShell.Cmdlets.InvokeDarwinDecodeCommand]::new().BatchSize | Should -Be ([AlignedGen.AlignedGenDefaults]::BatchSize)
    }

    It 'reads Prompt, Id, Response and Reference from piped objects' {
        $rows = @(
            [pscustomobject]@{ Id = 'x1'; Prompt = 'Once upon a time'; Response = 'there was a cat.'; Reference = 'a dog' }
            [pscustomobject]@{ Id = 'x2'; Prompt = 'Lily went'; Extra = 'ignored' }
        )
        $items = @($rows | Test-ProbePrompt)
        $items[0].Id | Should -BeExactly 'x1'
        $items[0].Prompt | Should -BeExactly 'Once upon a time'
        $items[0].Response | Should -BeExactly 'there was a cat.'
        $items[0].Reference | Should -BeExactly 'a dog'
        $items[1].Id | Should -BeExactly 'x2'
        $items[1].Response | Should -BeNullOrEmpty
        $items[1].IdOrIndex | Should -BeExactly 'x2'
    }

    It 'reads hashtables and numeric ids, matching names case-insensitively' {
        $items = @(@{ prompt = 'from a hashtable'; ID = 7 }, [ordered]@{ PROMPT = 'ordered' } | Test-ProbePrompt)
        $items[0].Prompt | Should -BeExactly 'from a hashtable'
        $items[0].Id | Should -BeExactly '7'
        $items[1].Prompt | Should -BeExactly 'ordered'
    }

    It 'does not carry an Id from one input object to the next' {
        $items = @([pscustomobject]@{ Id = 'first'; Prompt = 'a' }, 'plain string' | Test-ProbePrompt)
        $items[0].Id | Should -BeExactly 'first'
        $items[1].Id | Should -BeNullOrEmpty
        $items[1].IdOrIndex | Should -BeExactly '1'
    }

    It 'takes -Prompt with several prompts, empty ones included' {
        $items = @(Test-ProbePrompt -Prompt 'one', '', 'three')
        $items.Prompt | Should -Be @('one', '', 'three')
    }

    It 'reads prompts straight from Import-JsonLines output' {
        $file = Join-Path $TestDrive 'prompts.jsonl'
        Set-Content $file '{"id":"s1","prompt":"Tom had a ball."}', '{"id":"s2","prompt":"The sun was hot."}'
        $items = @(Import-JsonLines $file | Test-ProbePrompt)
        $items.Id | Should -Be @('s1', 's2')
        $items.Prompt | Should -Be @('Tom had a ball.', 'The sun was hot.')
    }

    It 'refuses an object without a Prompt property (not its "@{...}" text) and goes on with the next input' {
        $inputs = 'good one', [pscustomobject]@{ Text = 'no prompt here' }, 'good two'
        $items = @($inputs | Test-ProbePrompt -ErrorVariable problems -ErrorAction SilentlyContinue)
        $items.Prompt | Should -Be @('good one', 'good two')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.InvalidArgument,*'
        $problems[0].Exception.Message | Should -BeLike '*no Prompt property*Text*'
        { [pscustomobject]@{ Text = 'x' } | Test-ProbePrompt -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }

    It 'refuses a Prompt property that is not text' {
        { [pscustomobject]@{ Prompt = @('a', 'b') } | Test-ProbePrompt -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }
}
