# Invoke-RewardRelabel -Shard: the shard from a scheduler's environment (Slurm job array, Kubernetes Indexed Job) and
# as INDEX/COUNT text. The variables are set in this process, as a scheduler sets them in a task's, and removed after.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Length = New-ScriptReward -Name len { param($Prompt, $Response) $Response.Length }
    $script:SchedulerVariables = 'SLURM_JOB_ID', 'SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN',
        'SLURM_ARRAY_TASK_MAX', 'SLURM_ARRAY_TASK_STEP', 'JOB_COMPLETION_INDEX', 'ALIGNGEN_SHARD_COUNT'
    $script:Saved = @{}
    foreach ($name in $SchedulerVariables) { $Saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    function Clear-Scheduler { foreach ($name in $SchedulerVariables) { [Environment]::SetEnvironmentVariable($name, $null) } }
    function New-InputFile([int] $Rows) {
        $path = Join-Path $TestDrive "in-$([guid]::NewGuid().ToString('n')).jsonl"
        1..$Rows | ForEach-Object { [pscustomobject]@{ id = "r$_"; prompt = 'p'; response = ('w ' * $_).Trim() } } | Export-JsonLines $path
        $path
    }
}

AfterAll {
    foreach ($name in $SchedulerVariables) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

Describe 'Invoke-RewardRelabel -Shard' {
    BeforeEach { Clear-Scheduler }

    It 'takes the shard from a Slurm array task numbered from 1 (--array=1-3): task 2 is shard 1 of 3' {
        $in = New-InputFile 7
        $out = Join-Path $TestDrive 'slurm.jsonl'
        $env:SLURM_JOB_ID = '12'; $env:SLURM_ARRAY_TASK_ID = '2'; $env:SLURM_ARRAY_TASK_COUNT = '3'
        $env:SLURM_ARRAY_TASK_MIN = '1'; $env:SLURM_ARRAY_TASK_MAX = '3'; $env:SLURM_ARRAY_TASK_STEP = '1'
        $summary = Invoke-RewardRelabel $in $out $Length -Shard Auto
        $summary.Shard.Index | Should -Be 1
        $summary.Shard.Count | Should -Be 3
        (Import-JsonLines $out).id | Should -Be @('r2', 'r5')
    }

    It 'takes the index from a Kubernetes Indexed Job and the count from ALIGNGEN_SHARD_COUNT' {
        $in = New-InputFile 7
        $out = Join-Path $TestDrive 'k8s.jsonl'
        $env:JOB_COMPLETION_INDEX = '0'; $env:ALIGNGEN_SHARD_COUNT = '2'
        $summary = Invoke-RewardRelabel $in $out $Length -Shard auto
        $summary.Shard.Count | Should -Be 2
        (Import-JsonLines $out).id | Should -Be @('r1', 'r3', 'r5', 'r7')
    }

    It 'takes the count from -Shard Auto/N' {
        $in = New-InputFile 7
        $out = Join-Path $TestDrive 'k8s-n.jsonl'
        $env:JOB_COMPLETION_INDEX = '2'
        $null = Invoke-RewardRelabel $in $out $Length -Shard Auto/3
        (Import-JsonLines $out).id | Should -Be @('r3', 'r6')
    }

    It 'accepts an explicit INDEX/COUNT, the same rows as -ShardIndex and -ShardCount' {
        $in = New-InputFile 7
        $a = Join-Path $TestDrive 'text.jsonl'
        $b = Join-Path $TestDrive 'index.jsonl'
        $null = Invoke-RewardRelabel $in $a $Length -Shard 1/2
        $null = Invoke-RewardRelabel $in $b $Length -ShardIndex 1 -ShardCount 2
        Get-Content $a -Raw | Should -BeExactly (Get-Content $b -Raw)
    }

    It 'stops with AlignedGen.ShardEnvironment and the fix when no scheduler task is found, writing nothing' {
        $in = New-InputFile 3
        $out = Join-Path $TestDrive 'none.jsonl'
        $failure = { Invoke-RewardRelabel $in $out $Length -Shard Auto } | Should -Throw -ErrorId 'AlignedGen.ShardEnvironment,*' -PassThru
        $failure.Exception.Message | Should -Match 'SLURM_ARRAY_TASK_ID'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'INDEX/COUNT'
        $out | Should -Not -Exist
    }

    It 'stops with AlignedGen.ShardEnvironment when the index is outside the count' {
        $in = New-InputFile 3
        $env:JOB_COMPLETION_INDEX = '4'; $env:ALIGNGEN_SHARD_COUNT = '4'
        { Invoke-RewardRelabel $in (Join-Path $TestDrive 'out.jsonl') $Length -Shard Auto } | Should -Throw -ErrorId 'AlignedGen.ShardEnvironment,*'
    }

    It 'refuses -Shard together with -ShardIndex (one parameter set or the other)' {
        $in = New-InputFile 3
        { Invoke-RewardRelabel $in (Join-Path $TestDrive 'both.jsonl') $Length -Shard 0/2 -ShardIndex 0 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }

    It 'says what text it takes for a -Shard that is not one' {
        $in = New-InputFile 3
        $failure = { Invoke-RewardRelabel $in (Join-Path $TestDrive 'bad.jsonl') $Length -Shard half } | Should -Throw -ErrorId 'AlignedGen.InvalidArgument,*' -PassThru
        $failure.Exception.Message | Should -Match 'INDEX/COUNT'
    }
}
