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
        { Invoke-RewardRelabel $in $out $Length -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.OutputExists,*'
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

    It 'reports AlignedGen.DataFile for an input without the response column, naming the cmdlet''s column parameters' {
        $in = Join-Path $TestDrive 'bad.jsonl'
        '{"id":"a","prompt":"p","answer":"x"}' | Set-Content $in
        { Invoke-RewardRelabel $in (Join-Path $TestDrive 'bad-out.jsonl') $Length -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.DataFile,*'
        $null = Invoke-RewardRelabel $in (Join-Path $TestDrive 'bad-out2.jsonl') $Length -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].ToString() | Should -BeLike '*-ResponseColumn*'
        $err[0].ToString() | Should -Not -BeLike '*ColumnMap*'
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*-IdColumn none*'
    }

    It 'reads another response column with -ResponseColumn' {
        $in = Join-Path $TestDrive 'answer.jsonl'
        '{"id":"a","prompt":"p","answer":"xyz"}' | Set-Content $in
        $out = Join-Path $TestDrive 'answer-out.jsonl'
        $null = Invoke-RewardRelabel $in $out $Length -ResponseColumn answer
        (Import-JsonLines $out).reward | Should -Be 3
    }
}

Describe 'Invoke-RewardRelabel input files' {
    It 'takes Get-ChildItem output from the pipeline (by PSPath), one summary per file, outputs from a script block' {
        $dir = Join-Path $TestDrive 'piped'
        $null = New-Item -ItemType Directory $dir
        foreach ($name in 'a', 'b') {
            1..3 | ForEach-Object { [pscustomobject]@{ id = "$name$_"; prompt = 'p'; response = $name * $_ } } | Export-JsonLines (Join-Path $dir "$name.jsonl")
        }
        $summaries = @(Get-ChildItem $dir -Filter *.jsonl | Invoke-RewardRelabel -OutputPath { Join-Path $dir ($_.BaseName + '.scored.jsonl') } -RewardModel $Length)
        $summaries.Count | Should -Be 2
        $summaries.InputPath | Should -Be @((Join-Path $dir 'a.jsonl'), (Join-Path $dir 'b.jsonl'))
        (Import-JsonLines (Join-Path $dir 'b.scored.jsonl')).reward | Should -Be @(1, 2, 3)
    }

    It 'binds a .NET FileInfo (no PSPath) by its FullName' {
        $in = New-InputFile 2
        $out = Join-Path $TestDrive 'fileinfo-out.jsonl'
        $summary = [System.IO.FileInfo]::new($in) | Invoke-RewardRelabel -OutputPath $out -RewardModel $Length
        $summary.RowsScored | Should -Be 2
    }

    It 'expands wildcards in -Path and takes -LiteralPath literally' {
        $dir = Join-Path $TestDrive 'wild'
        $null = New-Item -ItemType Directory $dir
        '{"id":"x","prompt":"p","response":"abcd"}' | Set-Content -LiteralPath (Join-Path $dir 'in[1].jsonl')
        $out = Join-Path $dir 'literal-out.jsonl'
        (Invoke-RewardRelabel -LiteralPath (Join-Path $dir 'in[1].jsonl') -OutputPath $out -RewardModel $Length).RowsScored | Should -Be 1
        $wildOut = Join-Path $dir 'wild-out.jsonl'
        (Invoke-RewardRelabel -Path (Join-Path $dir 'in?1?.*') -OutputPath $wildOut -RewardModel $Length).RowsScored | Should -Be 1
        (Import-JsonLines $wildOut).reward | Should -Be 4
    }

    It 'resolves relative paths against the PowerShell location, not the process directory' {
        $dir = Join-Path $TestDrive 'relative'
        $null = New-Item -ItemType Directory $dir
        '{"id":"x","prompt":"p","response":"abc"}' | Set-Content (Join-Path $dir 'in.jsonl')
        Push-Location $dir
        try {
            [Environment]::CurrentDirectory | Should -Not -Be $dir
            $summary = Invoke-RewardRelabel in.jsonl out.jsonl $Length
            $summary.InputPath | Should -Be (Join-Path $dir 'in.jsonl')
            Test-Path (Join-Path $dir 'out.jsonl') | Should -BeTrue
        } finally { Pop-Location }
    }

    It 'reports a missing input as AlignedGen.FileNotFound (ObjectNotFound), target the input, naming the PowerShell location' {
        $dir = Join-Path $TestDrive 'missing'
        $null = New-Item -ItemType Directory $dir
        Push-Location $dir
        try {
            $null = Invoke-RewardRelabel nothere.jsonl out.jsonl $Length -ErrorVariable err -ErrorAction SilentlyContinue
        } finally { Pop-Location }
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.FileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'nothere.jsonl'
        $err[0].ToString() | Should -BeLike "*PowerShell location '$dir'*"
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*PowerShell location*'
        Test-Path (Join-Path $dir 'out.jsonl') | Should -BeFalse
    }

    It 'goes on with the next file when one fails, and refuses to write two inputs into one -OutputPath' {
        $good = New-InputFile 2
        $bad = Join-Path $TestDrive 'nocolumn.jsonl'
        '{"id":"a","prompt":"p"}' | Set-Content $bad
        $other = New-InputFile 3
        $summaries = @($bad, $good | Invoke-RewardRelabel -OutputPath { "$_.out.jsonl" } -RewardModel $Length -ErrorVariable err -ErrorAction SilentlyContinue)
        $summaries.Count | Should -Be 1
        $summaries[0].InputPath | Should -Be $good
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.DataFile,*'
        $out = Join-Path $TestDrive 'shared-out.jsonl'
        $null = Invoke-RewardRelabel -Path $good, $other -OutputPath $out -RewardModel $Length -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2.Count | Should -Be 1
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.OutputExists,*'
        $err2[0].TargetObject | Should -Be $other
        $err2[0].ToString() | Should -BeLike '*-OutputPath {*'
    }

    It 'is strict by default; -Strict:$false scores a null response as empty text' {
        $in = Join-Path $TestDrive 'nullresp.jsonl'
        '{"id":"a","prompt":"p","response":null}', '{"id":"b","prompt":"p","response":"xy"}' | Set-Content $in
        $null = Invoke-RewardRelabel $in (Join-Path $TestDrive 'strict-out.jsonl') $Length -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].ToString() | Should -BeLike '*-Strict:$false*'
        $err[0].ToString() | Should -Not -BeLike '*RelabelOptions*'
        $out = Join-Path $TestDrive 'lenient-out.jsonl'
        $null = Invoke-RewardRelabel $in $out $Length -Strict:$false
        (Import-JsonLines $out).reward | Should -Be @(0, 2)
    }

    It 'names -SkipBadRecords (not RelabelOptions) in the fix for a corrupt record' {
        $in = Join-Path $TestDrive 'corrupt.jsonl'
        '{"id":"a","prompt":"p","response":"x"}', '{not json' | Set-Content $in
        $null = Invoke-RewardRelabel $in (Join-Path $TestDrive 'corrupt-out.jsonl') $Length -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.DataFile,*'
        $err[0].TargetObject | Should -Be "$in`:2"
        $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*pass -SkipBadRecords*'
        $err[0].ToString() | Should -Not -BeLike '*RelabelOptions*'
    }
}

Describe 'Merge-RelabelShard' {
    It 'merges shards back into the input''s row order, equal to one unsharded run' {
        $in = New-InputFile 7
        $dir = Join-Path $TestDrive 'merge'
        $null = New-Item -ItemType Directory $dir
        0..2 | ForEach-Object { $null = Invoke-RewardRelabel $in (Join-Path $dir "shard$_.jsonl") $Length -ShardIndex $_ -ShardCount 3 }
        $whole = Join-Path $TestDrive 'whole.jsonl'
        $null = Invoke-RewardRelabel $in $whole $Length
        $merged = Join-Path $TestDrive 'merged.jsonl'
        $result = Get-ChildItem $dir -Filter 'shard*.jsonl' | Merge-RelabelShard -InputPath $in -OutputPath $merged
        $result | Should -BeOfType ([AlignedGen.PowerShell.Output.MergedRelabelShards])
        $result.ShardCount | Should -Be 3
        $result.RowCount | Should -Be 7
        Get-Content $merged | Should -Be (Get-Content $whole)
        ($result | Out-String) | Should -Match 'Shards\s+Rows'
    }

    It 'takes shard paths with wildcards, refuses an existing output without -Force, and writes nothing under -WhatIf' {
        $in = New-InputFile 4
        $dir = Join-Path $TestDrive 'merge2'
        $null = New-Item -ItemType Directory $dir
        0..1 | ForEach-Object { $null = Invoke-RewardRelabel $in (Join-Path $dir "part$_.jsonl") $Length -ShardIndex $_ -ShardCount 2 }
        $merged = Join-Path $TestDrive 'merged2.jsonl'
        Merge-RelabelShard (Join-Path $dir 'part*.jsonl') $merged -InputPath $in -WhatIf
        Test-Path $merged | Should -BeFalse
        (Merge-RelabelShard (Join-Path $dir 'part*.jsonl') $merged -InputPath $in).RowCount | Should -Be 4
        { Merge-RelabelShard (Join-Path $dir 'part*.jsonl') $merged -InputPath $in } | Should -Throw -ErrorId 'AlignedGen.OutputExists,*'
        (Merge-RelabelShard (Join-Path $dir 'part*.jsonl') $merged -InputPath $in -Force).RowCount | Should -Be 4
    }

    It 'reports shards given in the wrong order as AlignedGen.DataFile, naming the shard file' {
        $in = New-InputFile 4
        $dir = Join-Path $TestDrive 'merge3'
        $null = New-Item -ItemType Directory $dir
        0..1 | ForEach-Object { $null = Invoke-RewardRelabel $in (Join-Path $dir "s$_.jsonl") $Length -ShardIndex $_ -ShardCount 2 }
        $err = { Merge-RelabelShard (Join-Path $dir 's1.jsonl'), (Join-Path $dir 's0.jsonl') (Join-Path $TestDrive 'bad-merge.jsonl') -InputPath $in } |
            Should -Throw -ErrorId 'AlignedGen.DataFile,*' -PassThru
        "$($err.TargetObject)" | Should -BeLike "$dir*"
        Test-Path (Join-Path $TestDrive 'bad-merge.jsonl') | Should -BeFalse
    }
}

Describe 'Invoke-RewardRelabel -WhatIf' {
    It 'says what it would write and writes nothing' {
        $in = New-InputFile 2
        $out = Join-Path $TestDrive 'whatif.jsonl'
        $summary = Invoke-RewardRelabel $in $out $Length -WhatIf
        $summary | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
    }
}
