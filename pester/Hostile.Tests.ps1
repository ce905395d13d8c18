# Hostile inputs through the cmdlets: bad files, encodings, paths, option values and resume mismatches each get a clear
# error with its own error id (non-terminating where one line is at fault), and no file is ever left half-written.
# The library's own catalogue of cases is the xunit Hostile suite; docs/reliability.md lists both.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Length = New-ScriptReward -Name len { param($Prompt, $Response) $Response.Length }
    $script:Words = New-ScriptReward -Name words { param($Prompt, $Response) @($Response -split ' ').Count }
    function New-Bytes([string] $Name, [byte[]] $Bytes) {
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllBytes($path, $Bytes)
        $path
    }
    function New-Text([string] $Name, [string] $Text) { New-Bytes $Name ([Text.Encoding]::UTF8.GetBytes($Text)) }
    function New-Rows([string] $Name, [int] $Count) {
        New-Text $Name ((1..$Count | ForEach-Object { "{`"id`":`"r$_`",`"prompt`":`"p`",`"response`":`"$('w ' * $_)`"}" }) -join "`n")
    }
}

Describe 'Import-JsonLines with hostile lines' {
    It 'reports <Name> as AlignedGen.CorruptJsonLine on line 2 and reads the other lines' -ForEach @(
        @{ Name = 'invalid UTF-8'; Line = [byte[]](0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D); Problem = 'invalid UTF-8 at byte offset' }
        @{ Name = 'a lone surrogate escape'; Line = [Text.Encoding]::UTF8.GetBytes('{"a":"\ud800"}'); Problem = 'not valid UTF-16' }
        @{ Name = 'keys differing only in case'; Line = [Text.Encoding]::UTF8.GetBytes('{"a":1,"A":2}'); Problem = 'appears twice' }
        @{ Name = 'invalid JSON'; Line = [Text.Encoding]::UTF8.GetBytes('{"a":'); Problem = 'Invalid JSON' }
    ) {
        $bytes = [Text.Encoding]::UTF8.GetBytes("{`"a`":1}`n") + $Line + [Text.Encoding]::UTF8.GetBytes("`n{`"a`":3}`n")
        $file = New-Bytes 'bad.jsonl' $bytes
        $rows = @(Import-JsonLines $file -ErrorVariable problems -ErrorAction SilentlyContinue)
        $rows.a | Should -Be @(1, 3)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.CorruptJsonLine,*'
        $problems[0].Exception.LineNumber | Should -Be 2
        $problems[0].Exception.Message | Should -Match ([regex]::Escape($Problem))
    }

    It 'reads <Name>' -ForEach @(
        @{ Name = 'a raw CR between tokens'; Bytes = [Text.Encoding]::UTF8.GetBytes("{`"a`":1,`r`"b`":2}`n"); B = 2 }
        @{ Name = 'UTF-16 LE with a byte-order mark'; Bytes = [Text.Encoding]::Unicode.GetPreamble() + [Text.Encoding]::Unicode.GetBytes("{`"a`":1,`"b`":`"é✓`"}`r`n"); B = 'é✓' }
        @{ Name = 'a UTF-8 byte-order mark'; Bytes = [byte[]](0xEF, 0xBB, 0xBF) + [Text.Encoding]::UTF8.GetBytes("{`"a`":1,`"b`":3}"); B = 3 }
    ) {
        $row = Import-JsonLines (New-Bytes 'ok.jsonl' $Bytes) -ErrorAction Stop
        $row.a | Should -Be 1
        $row.b | Should -Be $B
    }
}

Describe 'Export-JsonLines never leaves a half-written file' {
    It 'keeps the old file when the pipeline fails midway, and leaves no temporary file' {
        $file = New-Text 'keep.jsonl' "{`"old`":true}`n"
        { 1..5 | ForEach-Object { if ($_ -eq 3) { throw 'upstream failure' }; [pscustomobject]@{ n = $_ } } | Export-JsonLines $file } | Should -Throw
        Get-Content $file -Raw | Should -Be "{`"old`":true}`n"
        Test-Path "$file.tmp" | Should -BeFalse
    }

    It 'reads and rewrites the same file in one pipeline' {
        $file = New-Rows 'same.jsonl' 3
        Import-JsonLines $file | ForEach-Object { $_.prompt = 'q'; $_ } | Export-JsonLines $file
        (Import-JsonLines $file).prompt | Should -Be @('q', 'q', 'q')
    }
}

Describe 'Invoke-RewardRelabel with hostile paths and options' {
    It 'refuses <Name> with <ErrorId> and leaves the input as it was' -ForEach @(
        @{ Name = 'the input as output'; ErrorId = 'AlignedGen.InvalidArgument'; Output = { param($in) $in } }
        @{ Name = 'a symbolic link to the input as output'; ErrorId = 'AlignedGen.InvalidArgument'; Output = { param($in) (New-Item -ItemType SymbolicLink -Path (Join-Path $TestDrive 'link.jsonl') -Target $in -Force).FullName } }
        @{ Name = 'a folder as output'; ErrorId = 'AlignedGen.DataFile'; Output = { param($in) (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'outdir.jsonl') -Force).FullName } }
        @{ Name = 'an output under a file'; ErrorId = 'AlignedGen.DataFile'; Output = { param($in) Join-Path $in 'out.jsonl' } }
    ) {
        $in = New-Rows 'in.jsonl' 3
        $before = Get-Content $in -Raw
        $out = & $Output $in
        { Invoke-RewardRelabel $in $out $Length -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*"
        Get-Content $in -Raw | Should -Be $before
    }

    It 'stops with AlignedGen.FileNotFound for a missing input' {
        { Invoke-RewardRelabel (Join-Path $TestDrive 'missing.jsonl') (Join-Path $TestDrive 'missing-out.jsonl') $Length -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.FileNotFound,*'
    }

    It 'stops with AlignedGen.DataFile for <Name>' -ForEach @(
        @{ Name = 'a corrupt line (no -SkipBadRecords)'; MakeInput = { New-Text 'corrupt.jsonl' "{`"id`":`"r1`",`"prompt`":`"p`",`"response`":`"x`"}`n{broken`n" }; Message = 'line 2' }
        @{ Name = 'a lone surrogate (no -SkipBadRecords)'; MakeInput = { New-Text 'surrogate.jsonl' "{`"id`":`"r1`",`"prompt`":`"\ud800`",`"response`":`"x`"}`n" }; Message = 'lone surrogate' }
    ) {
        $err = { Invoke-RewardRelabel (& $MakeInput) (Join-Path $TestDrive "out-$([guid]::NewGuid()).jsonl") $Length -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.DataFile,*' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape($Message))
    }

    It 'skips a lone-surrogate line with -SkipBadRecords, warns and lists it in the side file' {
        $in = New-Text 'skip.jsonl' ("{`"id`":`"r1`",`"prompt`":`"p`",`"response`":`"x`"}`n{`"id`":`"r2`",`"prompt`":`"\ud800`",`"response`":`"y`"}`n" +
            "{`"id`":`"r3`",`"prompt`":`"p`",`"response`":`"zz`"}`n")
        $out = Join-Path $TestDrive 'skip-out.jsonl'
        $summary = Invoke-RewardRelabel $in $out $Length -SkipBadRecords -WarningVariable warnings 3>$null
        $summary.SkippedCount | Should -Be 1
        (Import-JsonLines $out).id | Should -Be @('r1', 'r3')
        $warnings.Count | Should -Be 1
        (Import-JsonLines "$out.skipped.jsonl").line | Should -Be 2
    }

    It 'rejects <Name> before running' -ForEach @(
        @{ Name = '-BatchSize 0'; Arguments = @{ BatchSize = 0 }; ErrorId = 'ParameterArgumentValidationError' }
        @{ Name = '-ShardIndex 3 -ShardCount 3'; Arguments = @{ ShardIndex = 3; ShardCount = 3 }; ErrorId = 'AlignedGen.InvalidArgument' }
        @{ Name = 'two -RewardColumn names for one reward'; Arguments = @{ RewardColumn = 'a', 'b' }; ErrorId = 'AlignedGen.InvalidArgument' }
    ) {
        $in = New-Rows 'opts.jsonl' 2
        $out = Join-Path $TestDrive "opts-$([guid]::NewGuid()).jsonl"
        { Invoke-RewardRelabel $in $out $Length @Arguments } | Should -Throw -ErrorId "$ErrorId,*"
        Test-Path $out | Should -BeFalse
    }

    It 'leaves no output when a run fails, and asks for -Resume or -Force while its checkpoint exists' {
        $in = New-Rows 'fail.jsonl' 6
        $out = Join-Path $TestDrive 'fail-out.jsonl'
        $script:broken = $true
        $flaky = New-ScriptReward -Name flaky { param($Prompt, $Response) if ($script:broken -and $Response.Length -gt 6) { throw 'reward down' }; $Response.Length }
        { Invoke-RewardRelabel $in $out $flaky -BatchSize 2 -ErrorAction Stop } | Should -Throw
        Test-Path $out | Should -BeFalse
        { Invoke-RewardRelabel $in $out $flaky -BatchSize 2 -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.OutputExists,*'
        $script:broken = $false
        (Invoke-RewardRelabel $in $out $flaky -Resume -BatchSize 2).RowsAlreadyDone | Should -Be 2
    }
}

Describe 'Invoke-RewardRelabel -Resume refuses another job (AlignedGen.JobMismatch)' {
    It 'refuses <Name>, names what differs and says to use -Force' -ForEach @(
        @{ Name = 'another -RewardColumn'; Change = @{ RewardColumn = 'score' }; Differs = 'job.rewards' }
        @{ Name = 'another shard'; Change = @{ ShardIndex = 1; ShardCount = 2 }; Differs = 'shard was' }
        @{ Name = 'another -IdColumn'; Change = @{ IdColumn = 'none' }; Differs = 'id_column' }
    ) {
        $in = New-Rows 'mm.jsonl' 4
        $out = Join-Path $TestDrive "mm-$([guid]::NewGuid()).jsonl"
        $null = Invoke-RewardRelabel $in $out $Length
        $err = { Invoke-RewardRelabel $in $out $Length -Resume @Change } | Should -Throw -ErrorId 'AlignedGen.JobMismatch,*' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape($Differs))
        $err.ErrorDetails.RecommendedAction | Should -Match '-Force'
    }

    It 'refuses a resume after an input row it scored was edited' {
        $in = New-Rows 'edit.jsonl' 4
        $out = Join-Path $TestDrive 'edit-out.jsonl'
        $null = Invoke-RewardRelabel $in $out $Length
        (Get-Content $in -Raw).Replace('"id":"r2","prompt":"p"', '"id":"r2","prompt":"edited"') + "`n{`"id`":`"r5`",`"prompt`":`"p`",`"response`":`"w`"}" | Set-Content $in -NoNewline
        { Invoke-RewardRelabel $in $out $Length -Resume } | Should -Throw -ErrorId 'AlignedGen.JobMismatch,*'
    }
}

Describe 'A prompt that cannot be generated fails alone (AlignedGen.PromptFailed)' {
    BeforeAll {
        $script:Model = Import-AlignedModel ([AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel())
        $script:Long = 'the ' * ($Model.Config.ContextLength + 8)
        $script:Rows = @(
            [pscustomobject]@{ Id = 'a'; Prompt = 'Once upon a time' }
            [pscustomobject]@{ Id = 'empty'; Prompt = '   ' }
            [pscustomobject]@{ Id = 'long'; Prompt = $Long }
            [pscustomobject]@{ Id = 'b'; Prompt = 'The cat' }
        )
    }
    AfterAll { if ($Model) { $Model.Dispose() } }

    It 'writes one non-terminating error per bad prompt and a response for every other, for <Name>' -ForEach @(
        @{ Name = 'Invoke-RewardGuidedDecode'; Run = { $Rows | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 3 -BatchSize 4 -ErrorAction Continue } }
        @{ Name = 'Invoke-DarwinDecode'; Run = { $Rows | Invoke-DarwinDecode -Model $Model -RewardModel $Length -MaxNewTokens 3 -BatchSize 4 -Mutations 2 -Keep 1 -Iterations 1 -ErrorAction Continue } }
    ) {
        $all = & $Run 2>&1
        $failed = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $out = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $out.Id | Should -Be @('a', 'b')
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.PromptFailed,*' }
        @($failed.TargetObject) | Should -Be @('empty', 'long')
        $failed[0].Exception.Message | Should -BeLike "*'empty'*is empty*"
        $failed[1].Exception.Message | Should -BeLike "*context window*"
    }

    It 'stops at the first bad prompt with -FailFast' {
        { $Rows | Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 3 -FailFast -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }

    It 'treats an empty prompt like a row without a Prompt property: an error, and the others go on' {
        $out = @([pscustomobject]@{ Id = 'x'; Text = 'no prompt' }, [pscustomobject]@{ Id = 'y'; Prompt = '' }, 'The dog') |
            Invoke-RewardGuidedDecode -Model $Model -Strategy Greedy -MaxNewTokens 2 -ErrorVariable failed -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $failed.Count | Should -Be 2
    }
}

Describe 'Memory budget and threads as parameters' {
    BeforeDiscovery { . $PSScriptRoot/TestSupport/Common.ps1; $script:HasStories = [bool](Get-SharedPath models stories260K) }
    BeforeAll {
        $script:StoriesPath = Get-SharedPath models stories260K
        if (-not $StoriesPath) { Write-SkipReason '-MemoryBudget on stories260K' $script:SharedSkipReason }
        $script:Prompts = @('Once upon a time', 'The cat', 'A dog ran to the park and saw', 'Lily')
    }

    It 'refuses -MemoryBudget 0 and -ThreadCount -1 at binding, naming the parameter' {
        { 'x' | Invoke-RewardGuidedDecode -Model ([AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()) -Strategy Greedy -MemoryBudget 0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Import-AlignedModel ([AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()) -ThreadCount -1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'a budget of two rows gives the responses of the whole batch, and one below a single row fails each prompt alone in -MemoryBudget terms' -Skip:(-not $HasStories) {
        $model = Import-AlignedModel $StoriesPath -ThreadCount 1
        try {
            $whole = @($Prompts | Invoke-RewardGuidedDecode -Model $model -Strategy Greedy -MaxNewTokens 6 -BatchSize 4)
            $longest = ($Prompts | ForEach-Object { $model.Tokenizer.Encode($_, $true).Count } | Measure-Object -Maximum).Maximum
            $twoRows = $model.CacheBytes(2, $longest + 6)
            $split = @($Prompts | Invoke-RewardGuidedDecode -Model $model -Strategy Greedy -MaxNewTokens 6 -BatchSize 4 -MemoryBudget $twoRows)
            $split.Response | Should -Be $whole.Response
            $split.Count | Should -Be 4

            $out = @($Prompts | Invoke-RewardGuidedDecode -Model $model -Strategy Greedy -MaxNewTokens 6 -BatchSize 4 -MemoryBudget 100 -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 0
            $failed.Count | Should -Be 4
            $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.PromptFailed,*' }
            $failed[0].Exception.Message | Should -BeLike '*Raise the memory budget (-MemoryBudget)*-MaxNewTokens*'
            $failed[0].Exception.Message | Should -Not -BeLike '*GenerationOptions*'
        }
        finally { $model.Dispose() }
    }
}
