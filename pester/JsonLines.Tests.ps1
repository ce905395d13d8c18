# Import-JsonLines / Export-JsonLines. The oracle for parsing and writing is PowerShell's own ConvertFrom-Json /
# ConvertTo-Json; the documented differences (strings stay strings, enums as names) have tests of their own.

BeforeDiscovery {
    . $PSScriptRoot/TestSupport/Common.ps1
    $script:StoryPrompts = Get-SharedPath data story-prompts.jsonl
    if (-not $script:StoryPrompts) { Write-SkipReason 'JSON Lines tests on shared/data' $script:SharedSkipReason }

    # One JSON value per case; Import-JsonLines must give what ConvertFrom-Json gives.
    $script:LineCases = @(
        @{ Name = 'flat object'; Line = '{"id":"p-1","prompt":"Once upon a time","n":3}' }
        @{ Name = 'unicode and escapes'; Line = '{"t":"caf\u00e9 \"quoted\" tab\there\nnewline","emoji":"\ud83d\ude00 ok"}' }
        @{ Name = 'nested objects and arrays'; Line = '{"a":{"b":{"c":[1,2,{"d":null}]}},"e":[]}' }
        @{ Name = 'numbers'; Line = '{"int":42,"neg":-7,"big":123456789012345678901234,"float":1.5,"exp":-2.5e-3,"zero":0}' }
        @{ Name = 'booleans and null'; Line = '{"yes":true,"no":false,"nothing":null}' }
        @{ Name = 'top-level array'; Line = '[1,"two",3.0,false]' }
        @{ Name = 'top-level number'; Line = '12345' }
        @{ Name = 'top-level string'; Line = '"just text"' }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force

    function ConvertTo-Canonical($Value) { ConvertTo-Json -InputObject $Value -Depth 20 -Compress }
}

Describe 'Import-JsonLines' {
    It 'reads <Name> as ConvertFrom-Json does' -ForEach $LineCases {
        $file = Join-Path $TestDrive 'case.jsonl'
        Set-Content -Path $file -Value $Line -Encoding utf8NoBOM
        $actual = Import-JsonLines -Path $file
        $expected = $Line | ConvertFrom-Json -NoEnumerate
        ConvertTo-Canonical $actual | Should -BeExactly (ConvertTo-Canonical $expected)
    }

    It 'gives Int64 for integers, BigInteger past Int64, Double for decimals (as ConvertFrom-Json)' {
        $file = Join-Path $TestDrive 'types.jsonl'
        Set-Content $file '{"i":1,"b":123456789012345678901234,"d":0.25}'
        $row = Import-JsonLines $file
        $oracle = '{"i":1,"b":123456789012345678901234,"d":0.25}' | ConvertFrom-Json
        foreach ($name in 'i', 'b', 'd') {
            $row.$name.GetType() | Should -Be $oracle.$name.GetType()
        }
    }

    It 'writes one object per line, keeps property order and skips blank lines' {
        $file = Join-Path $TestDrive 'rows.jsonl'
        Set-Content $file -Value '{"z":1,"a":2}', '', '   ', '{"z":3,"a":4}'
        $rows = @(Import-JsonLines $file)
        $rows.Count | Should -Be 2
        $rows[0].PSObject.Properties.Name | Should -Be @('z', 'a')
        $rows.z | Should -Be @(1, 3)
    }

    It 'keeps date-like strings as strings (ConvertFrom-Json would make a DateTime)' {
        $file = Join-Path $TestDrive 'date.jsonl'
        Set-Content $file '{"prompt":"2020-01-01T00:00:00Z"}'
        (Import-JsonLines $file).prompt | Should -BeOfType [string]
        (Import-JsonLines $file).prompt | Should -BeExactly '2020-01-01T00:00:00Z'
        ('{"prompt":"2020-01-01T00:00:00Z"}' | ConvertFrom-Json).prompt | Should -BeOfType [datetime]
    }

    It 'reports a corrupt line as a non-terminating error with file and line, and goes on' {
        $file = Join-Path $TestDrive 'corrupt.jsonl'
        Set-Content $file -Value '{"ok":1}', '{"ok":2}', '{"bad": ', '{"ok":4}'
        $rows = @(Import-JsonLines $file -ErrorVariable problems -ErrorAction SilentlyContinue)
        $rows.ok | Should -Be @(1, 2, 4)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AlignedGen.CorruptJsonLine,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be "${file}:3"
        $problems[0].Exception.LineNumber | Should -Be 3
        $problems[0].Exception.Message | Should -BeLike "${file}:3: Invalid JSON*"
    }

    It 'stops at a corrupt line with -ErrorAction Stop' {
        $file = Join-Path $TestDrive 'corrupt2.jsonl'
        Set-Content $file -Value '{"ok":1}', 'not json'
        { Import-JsonLines $file -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.CorruptJsonLine,*'
    }

    It 'rejects keys that differ only in case, naming the key' {
        $file = Join-Path $TestDrive 'dupe.jsonl'
        Set-Content $file '{"prompt":"a","Prompt":"b"}'
        $err = { Import-JsonLines $file -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.CorruptJsonLine,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'Prompt' appears twice*"
    }

    It 'reports a missing file as AlignedGen.FileNotFound' {
        $missing = Join-Path $TestDrive 'missing.jsonl'
        $err = { Import-JsonLines -LiteralPath $missing -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.FileNotFound,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { Import-JsonLines -Path (Join-Path $TestDrive 'nothing*.jsonl') -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.FileNotFound,*'
        { Import-JsonLines -Path 'nosuchdrive:/x.jsonl' -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.FileNotFound,*'
    }

    It 'expands wildcards and takes files from Get-ChildItem by property name' {
        $folder = Join-Path $TestDrive 'many'
        $null = New-Item -ItemType Directory $folder
        Set-Content (Join-Path $folder 'a.jsonl') '{"n":1}'
        Set-Content (Join-Path $folder 'b.jsonl') '{"n":2}', '{"n":3}'
        (Import-JsonLines (Join-Path $folder '*.jsonl')).n | Sort-Object | Should -Be @(1, 2, 3)
        (Get-ChildItem $folder -Filter *.jsonl | Import-JsonLines).n | Sort-Object | Should -Be @(1, 2, 3)
    }

    It 'resolves relative paths against the PowerShell location' {
        Set-Content (Join-Path $TestDrive 'rel.jsonl') '{"here":true}'
        Push-Location $TestDrive
        try { (Import-JsonLines ./rel.jsonl).here | Should -BeTrue } finally { Pop-Location }
    }

    It 'stops reading early when downstream has enough (Select-Object -First)' {
        # The last line is corrupt: reading it would write an error, so no error means reading stopped early.
        $file = Join-Path $TestDrive 'long.jsonl'
        [IO.File]::WriteAllLines($file, [string[]]@(foreach ($n in 1..5000) { "{""n"":$n}" }) + 'corrupt')
        @(Import-JsonLines $file -ErrorVariable late -ErrorAction SilentlyContinue).Count | Should -Be 5000
        $late.Count | Should -Be 1
        $first = Import-JsonLines $file -ErrorVariable early -ErrorAction SilentlyContinue | Select-Object -First 2
        $first.n | Should -Be @(1, 2)
        $early.Count | Should -Be 0
    }

    It 'writes progress with PercentComplete and a Completed record' {
        $file = Join-Path $TestDrive 'progress.jsonl'
        [IO.File]::WriteAllLines($file, [string[]]@(foreach ($n in 1..5000) { "{""n"":$n}" }))
        $run = Invoke-InNewRunspace "Import-JsonLines '$file' | Measure-Object"
        $run.Output[0].Count | Should -Be 5000
        $records = @($run.Streams.Progress)
        $records.Count | Should -BeGreaterOrEqual 2
        $records[0].Activity | Should -Be 'Import-JsonLines'
        $records[0].PercentComplete | Should -BeIn (0..100)
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'reads all <_> rows of shared/data/story-prompts.jsonl like ConvertFrom-Json' -Skip:(-not $StoryPrompts) -ForEach @(1000) {
        $rows = @(Import-JsonLines $StoryPrompts)
        $lines = @(Get-Content $StoryPrompts | Where-Object { $_.Trim() })
        $rows.Count | Should -Be $lines.Count
        $rows.Count | Should -Be $_
        foreach ($i in 0, 499, ($lines.Count - 1)) {
            ConvertTo-Canonical $rows[$i] | Should -BeExactly (ConvertTo-Canonical ($lines[$i] | ConvertFrom-Json))
        }
    }
}

Describe 'Export-JsonLines' {
    It 'writes lines that ConvertFrom-Json reads back to the same objects' {
        $file = Join-Path $TestDrive 'out.jsonl'
        $objects = @(
            [pscustomobject]@{ id = 'a'; prompt = "line one`nline two"; score = 0.5; tokens = @(1, 403, 407) }
            [ordered]@{ id = 'b'; nested = [ordered]@{ x = 1; y = @('p', 'q') }; flag = $false; none = $null }
            [pscustomobject]@{ id = 'c'; text = 'café "quoted" \ backslash' }
        )
        $objects | Export-JsonLines -Path $file
        $lines = @(Get-Content $file)
        $lines.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            ConvertTo-Canonical ($lines[$i] | ConvertFrom-Json) | Should -BeExactly (ConvertTo-Canonical ([pscustomobject]$objects[$i]))
        }
    }

    It 'round-trips through Import-JsonLines' {
        $file = Join-Path $TestDrive 'roundtrip.jsonl'
        $objects = 1..20 | ForEach-Object { [pscustomobject]@{ id = "r$_"; values = @($_, ($_ * 2)); half = $_ / 2 } }
        $objects | Export-JsonLines $file
        $back = @(Import-JsonLines $file)
        ConvertTo-Canonical $back | Should -BeExactly (ConvertTo-Canonical $objects)
    }

    It 'writes UTF-8 without BOM and LF line ends' {
        $file = Join-Path $TestDrive 'bytes.jsonl'
        [pscustomobject]@{ t = 'é' }, [pscustomobject]@{ t = 'x' } | Export-JsonLines $file
        $bytes = [IO.File]::ReadAllBytes($file)
        $bytes[0..2] | Should -Not -Be @(0xEF, 0xBB, 0xBF)
        [Text.Encoding]::UTF8.GetString($bytes) | Should -BeExactly "{""t"":""é""}`n{""t"":""x""}`n"
    }

    It 'replaces the file without -Append and adds to it with -Append' {
        $file = Join-Path $TestDrive 'append.jsonl'
        [pscustomobject]@{ n = 1 } | Export-JsonLines $file
        [pscustomobject]@{ n = 2 } | Export-JsonLines $file
        (Import-JsonLines $file).n | Should -Be 2
        [pscustomobject]@{ n = 3 } | Export-JsonLines $file -Append
        (Import-JsonLines $file).n | Should -Be @(2, 3)
    }

    It 'starts a new line when appending to a file without a final newline' {
        $file = Join-Path $TestDrive 'nonl.jsonl'
        [IO.File]::WriteAllText($file, '{"n":1}')
        [pscustomobject]@{ n = 2 } | Export-JsonLines $file -Append
        (Import-JsonLines $file).n | Should -Be @(1, 2)
    }

    It 'writes enums as names, dates in round-trip format, NaN as a string' {
        $file = Join-Path $TestDrive 'special.jsonl'
        $when = [datetime]::new(2024, 5, 6, 7, 8, 9, [DateTimeKind]::Utc)
        [pscustomobject]@{ day = [DayOfWeek]::Monday; when = $when; nan = [double]::NaN } | Export-JsonLines $file
        Get-Content $file | Should -BeExactly '{"day":"Monday","when":"2024-05-06T07:08:09.0000000Z","nan":"NaN"}'
    }

    It 'cuts values deeper than -Depth to text and warns once' {
        $file = Join-Path $TestDrive 'deep.jsonl'
        $deep = [pscustomobject]@{ a = [pscustomobject]@{ b = [pscustomobject]@{ c = 1 } } }
        $deep, $deep | Export-JsonLines $file -Depth 2 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        (Get-Content $file)[0] | Should -BeExactly '{"a":{"b":"@{c=1}"}}'
    }

    It 'creates nothing with -WhatIf' {
        $file = Join-Path $TestDrive 'whatif.jsonl'
        [pscustomobject]@{ n = 1 } | Export-JsonLines $file -WhatIf
        Test-Path $file | Should -BeFalse
    }

    It 'refuses a folder as -Path with AlignedGen.InvalidArgument' {
        { [pscustomobject]@{ n = 1 } | Export-JsonLines $TestDrive } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*'
    }
}
