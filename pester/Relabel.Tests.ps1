# Invoke-RewardRelabel over the library's RelabelJob, with a script reward (the score of each row is computable here:
# the response length), so no shared/ is needed. The job's own durability and crash tests live in the xunit suite.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Length = New-ScriptReward -Name len { param($Prompt, $Response) $Response.Length }
    $script:Words = New-ScriptReward -Name words { param($Prompt, $Response) @($Response -split ' ').Count }
    function New-InputFile([int] $Rows) {
        $path = Join-Path $TestDrive "in-$([guid]::NewGuid().ToString('n')).jsonl"
        1..$Rows | ForEach-Object { [pscustomobject]@{ id = "r$_"; prompt = 'p'; response = ('w ' * $_).Trim() } } | Export-JsonLines $path
        $path
    }
}

Describe 'Invoke-RewardRelabel' {
    It 'writes every row with a reward column and returns the summary' {
        $in = New-InputFile 5
        $out = Join-Path $TestDrive 'out1.jsonl'
        $summary = Invoke-RewardRelabel $in $out $Length -BatchSize 2
        $summary | Should -BeOfType ([AlignedGen.Relabeling.RelabelSummary])
        $summary.RowsScored | Should -Be 5
        $rows = @(Import-JsonLines $out)
        $rows.id | Should -Be @('r1', 'r2', 'r3', 'r4', 'r5')
        foreach ($row in $rows) { $row.reward | Should -Be $row.response.Length }
    }

    It 'names one column per reward with -RewardColumn' {
        $in = New-InputFile 3
        $out = Join-Path $TestDrive 'out2.jsonl'
        $null = Invoke-RewardRelabel $in $out -RewardModel $Length, $Words -RewardColumn chars, words
        $rows = @(Import-JsonLines $out)
        $rows.chars | Should -Be @(1, 3, 5)
        $rows.words | Should -Be @(1, 2, 3)
    }

    It 'refuses to overwrite without -Force (AlignedGen.OutputExists), resumes with -Resume, overwrites with -Force' {
        $in = New-InputFile 4
        $out = Join-Path $TestDrive 'out3.jsonl'
        $null = Invoke-RewardRelabel $in $out $Length
        { Invoke-RewardRelabel $in $out $Length } | Should -Throw -ErrorId 'AlignedGen.OutputExists,*'
        $resumed = Invoke-RewardRelabel $in $out $Length -Resume
        $resumed.RowsAlreadyDone | Should -Be 4
        $resumed.RowsScored | Should -Be 0
        $forced = Invoke-RewardRelabel $in $out $Length -Force
        $forced.RowsScored | Should -Be 4
        @(Import-JsonLines $out).Count | Should -Be 4
    }

    It 'resumes a stopped run: only the missing rows are scored, and no output exists until it completes' {
        $in = New-InputFile 6
        $out = Join-Path $TestDrive 'out4.jsonl'
        $calls = [System.Collections.Generic.List[string]]::new()
        $script:stopAt = 5
        # One script for both runs (a resume must use the same reward): it fails on row 3 (length 5) until told otherwise.
        $counting = New-ScriptReward -Name len { param($Prompt, $Response) if ($script:stopAt -and $Response.Length -ge $script:stopAt) { throw 'stopped' }; $calls.Add($Response); $Response.Length }
        { Invoke-RewardRelabel $in $out $counting -BatchSize 2 } | Should -Throw
        Test-Path $out | Should -BeFalse
        @(Get-Content "$out.checkpoint.jsonl").Count | Should -Be 2
        $script:stopAt = 0
        $calls.Clear()
        $summary = Invoke-RewardRelabel $in $out $counting -Resume -BatchSize 2
        $summary.RowsAlreadyDone | Should -Be 2
        $summary.RowsScored | Should -Be 4
        $calls.Count | Should -Be 4
        (Import-JsonLines $out).id | Should -Be @('r1', 'r2', 'r3', 'r4', 'r5', 'r6')
    }

    It 'refuses to resume with another reward (AlignedGen.JobMismatch) and says to use -Force' {
        $in = New-InputFile 4
        $out = Join-Path $TestDrive 'out-mismatch.jsonl'
        $null = Invoke-RewardRelabel $in $out $Length
        $err = { Invoke-RewardRelabel $in $out $Words -Resume } | Should -Throw -ErrorId 'AlignedGen.JobMismatch,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match '-Force'
        $err.Exception.Message | Should -Match 'script_sha256'
        (Invoke-RewardRelabel $in $out $Words -Force).RowsScored | Should -Be 4
    }

    It 'splits rows between shards that together cover the input once' {
        $in = New-InputFile 7
        $a = Join-Path $TestDrive 'shard0.jsonl'
        $b = Join-Path $TestDrive 'shard1.jsonl'
        $s0 = Invoke-RewardRelabel $in $a $Length -ShardIndex 0 -ShardCount 2
        $s1 = Invoke-RewardRelabel $in $b $Length -ShardIndex 1 -ShardCount 2
        ($s0.RowsScored + $s1.RowsScored) | Should -Be 7
        $ids = @(Import-JsonLines $a) + @(Import-JsonLines $b) | ForEach-Object id | Sort-Object
        $ids | Should -Be ('r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7' | Sort-Object)
    }

    It 'writes progress and a Completed record' {
        $in = New-InputFile 6
        $out = Join-Path $TestDrive 'out5.jsonl'
        $run = Invoke-InNewRunspace "Invoke-RewardRelabel '$in' '$out' (New-ScriptReward { param(`$p, `$r) 1 }) -BatchSize 2"
        $run.Output[0].RowsScored | Should -Be 6
        $processing = @($run.Streams.Progress | Where-Object RecordType -EQ 'Processing')
        $processing.Count | Should -BeGreaterThan 0
        $processing[-1].PercentComplete | Should -Be 100
        $run.Streams.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'stops with AlignedGen.DataFile for an input without the response column' {
        $in = Join-Path $TestDrive 'bad.jsonl'
        '{"id":"a","prompt":"p","answer":"x"}' | Set-Content $in
        { Invoke-RewardRelabel $in (Join-Path $TestDrive 'bad-out.jsonl') $Length } | Should -Throw -ErrorId 'AlignedGen.DataFile,*'
    }

    It 'reads another response column with -ResponseColumn' {
        $in = Join-Path $TestDrive 'answer.jsonl'
        '{"id":"a","prompt":"p","answer":"xyz"}' | Set-Content $in
        $out = Join-Path $TestDrive 'answer-out.jsonl'
        $null = Invoke-RewardRelabel $in $out $Length -ResponseColumn answer
        (Import-JsonLines $out).reward | Should -Be 3
    }
}
