# Import-AlignedModel / Import-RewardModel -Repository against a local fake Hugging Face Hub (tests/AlignedGen.FakeHub)
# serving the embedded demo model and a tiny reward model built here (no shared/ needed): the Hub cache layout under
# HF_HOME, Write-Progress, the cache hit without a request, error ids and fixes (gated, unknown, variants, offline),
# and the "did you mean -Repository" hint for a -Path that reads like a Hub id.

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:Demo = [AlignedGen.ModelBuilding.DefaultModels]::EnsureDemoModel()
    $script:Hub = Start-FakeHub
    $script:Saved = Use-HubEnvironment -Endpoint $Hub.Endpoint -CacheRoot (Join-Path $TestDrive 'hf')
    $null = $Hub.AddRepository('org/demo').AddFolder($Demo).AddFile('README.md', '# demo').AddFile('pytorch_model.bin', [byte[]]::new(2048))
    $null = $Hub.AddRepository('org/demo-progress').AddFolder($Demo)
    $gated = $Hub.AddRepository('org/gated').AddFolder($Demo)
    $gated.GatedToken = 'hf_pester'
    $variants = $Hub.AddRepository('microsoft/tiny-onnx')
    foreach ($variant in 'cpu_and_mobile/cpu-int4-rtn-block-32', 'cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4', 'cuda/cuda-fp16') { $null = $variants.AddFolder($Demo, $variant) }

    $script:RmFolder = Join-Path $TestDrive 'rm'
    $values = [float[]]@(for ($i = 0; $i -lt 259; $i++) { ($i % 5) - 2 })
    $rmOptions = [AlignedGen.ModelBuilding.TinyRewardModelOptions]::new($values, [AlignedGen.ModelBuilding.RewardRule]::PrefixMeanValue)
    $null = [AlignedGen.ModelBuilding.TinyRewardModelBuilder]::WriteSequenceClassificationFolder($rmOptions, $RmFolder)
    $null = $Hub.AddRepository('org/tiny-rm').AddFolder($RmFolder)
}

AfterAll {
    if ($Saved) { Restore-HubEnvironment $Saved }
    if ($Hub) { $Hub.Dispose() }
}

Describe 'Import-AlignedModel -Repository' {
    It 'downloads the model folder into the Hub cache under HF_HOME and loads it' {
        $model = Import-AlignedModel -Repository org/demo
        try {
            $commit = $Hub.AddRepository('org/demo').Commit
            $model.Folder | Should -Be (Join-Path $TestDrive 'hf' 'hub' 'models--org--demo' 'snapshots' $commit)
            $model.Config.VocabularySize | Should -Be 259
            Get-Content -Raw (Join-Path $TestDrive 'hf' 'hub' 'models--org--demo' 'refs' 'main') | Should -Be $commit
            (Get-Item (Join-Path $model.Folder 'model.onnx')).LinkTarget | Should -BeLike '../../blobs/*'
            $Hub.Requests.Path | Should -Not -Contain '/org/demo/resolve/main/pytorch_model.bin'
        } finally { $model.Dispose() }
    }

    It 'loads a cached model again without a request, also from an hf: -Path' {
        $null = Import-AlignedModel -Repository org/demo | ForEach-Object { $_.Dispose() }
        $Hub.ClearRequests()
        $again = Import-AlignedModel -Path hf:org/demo
        try {
            $Hub.Requests.Count | Should -Be 0
            $again.Folder | Should -BeLike '*models--org--demo*'
        } finally { $again.Dispose() }
    }

    It 'reports the download with Write-Progress, ending with a Completed record' {
        $run = Invoke-InNewRunspace 'Import-AlignedModel -Repository org/demo-progress | ForEach-Object { $_.Dispose() }'
        $run.HadErrors | Should -BeFalse
        $records = @($run.Streams.Progress)
        $records.Count | Should -BeGreaterThan 1
        $records[0].Activity | Should -Be 'Downloading hf:org/demo-progress'
        ($records | Where-Object { $_.PercentComplete -gt 0 -and $_.PercentComplete -lt 100 }) | Should -Not -BeNullOrEmpty
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'names a variant with -Subfolder, and lists the variants when none is named' {
        { Import-AlignedModel -Repository microsoft/tiny-onnx } | Should -Throw -ErrorId 'AlignedGen.Hub,*'
        try { Import-AlignedModel -Repository microsoft/tiny-onnx } catch { $record = $_ }
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.ErrorDetails.RecommendedAction | Should -BeLike '*hf:microsoft/tiny-onnx/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4*-Subfolder*'
        $model = Import-AlignedModel -Repository microsoft/tiny-onnx -Subfolder cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4
        try { $model.Folder | Should -BeLike '*cpu-int4-rtn-block-32-acc-level-4' } finally { $model.Dispose() }
    }

    It 'stops with AlignedGen.Hub PermissionDenied for a gated repository and says how to set HF_TOKEN' {
        try { Import-AlignedModel -Repository org/gated } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.Hub,*'
        $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $record.ErrorDetails.RecommendedAction | Should -BeLike '*$env:HF_TOKEN*'
        $record.TargetObject | Should -Be 'org/gated'
        $env:HF_TOKEN = 'hf_pester'
        try {
            $model = Import-AlignedModel -Repository org/gated
            $model.Config.VocabularySize | Should -Be 259
            $model.Dispose()
        } finally { $env:HF_TOKEN = $null }
    }

    It 'stops with AlignedGen.Hub ObjectNotFound for an unknown repository' {
        try { Import-AlignedModel -Repository nobody/nothing } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.Hub,*'
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'stops with AlignedGen.Hub ConnectionError offline when the model is not cached' {
        $env:HF_HUB_OFFLINE = '1'
        try {
            try { Import-AlignedModel -Repository org/never-downloaded } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.Hub,*'
            $record.CategoryInfo.Category | Should -Be 'ConnectionError'
            $record.Exception.Message | Should -BeLike '*HF_HUB_OFFLINE*'
        } finally { $env:HF_HUB_OFFLINE = $null }
    }

    It 'answers a -Path that reads like a Hub id with "did you mean -Repository"' {
        try { Import-AlignedModel -Path microsoft/Phi-3-mini-4k-instruct-onnx } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'AlignedGen.ModelFolder,*'
        $record.ErrorDetails.RecommendedAction | Should -BeLike 'did you mean -Repository microsoft/Phi-3-mini-4k-instruct-onnx?*'
    }

    It 'takes an hf: reference as -Model of the decoding cmdlets' {
        $expected = Invoke-RewardGuidedDecode -Model $Demo -Strategy Greedy -Prompt 'The cat' -MaxNewTokens 6
        $result = Invoke-RewardGuidedDecode -Model hf:org/demo -Strategy Greedy -Prompt 'The cat' -MaxNewTokens 6
        $result.TokenIds.Count | Should -Be 6
        $result.Response | Should -Be $expected.Response
    }
}

Describe 'Import-RewardModel -Repository' {
    It 'downloads a reward model and scores as the local folder does' {
        $fromHub = Import-RewardModel -Repository org/tiny-rm
        $local = Import-RewardModel -Path $RmFolder
        try {
            $fromHub | Should -BeOfType ([AlignedGen.Rewards.IRewardSource])
            $queries = [AlignedGen.Rewards.RewardQuery[]]@([AlignedGen.Rewards.RewardQuery]::new('Hi', 'hello there'), [AlignedGen.Rewards.RewardQuery]::new('Hi', 'bye'))
            $fromHub.Score($queries, [Threading.CancellationToken]::None) | Should -Be $local.Score($queries, [Threading.CancellationToken]::None)
        } finally { $fromHub.Dispose(); $local.Dispose() }
    }
}

Describe 'examples/hub-session.ps1' {
    It 'imports a model and a reward model by Hub id and decodes greedy and ARGS as the local folders do' {
        $rows = @(& (Join-Path $RepositoryRoot 'examples' 'hub-session.ps1') -Repository org/demo -RewardRepository org/tiny-rm -Prompt 'The cat', 'She said' -MaxNewTokens 6 -Weight 2)
        $rows.Count | Should -Be 2
        $local = @('The cat', 'She said' | Invoke-RewardGuidedDecode -Model $Demo -RewardModel $RmFolder -Strategy Args -Weight 2 -MaxNewTokens 6)
        $greedy = @('The cat', 'She said' | Invoke-RewardGuidedDecode -Model $Demo -RewardModel $RmFolder -Strategy Greedy -MaxNewTokens 6)
        for ($i = 0; $i -lt 2; $i++) {
            $rows[$i].Args | Should -Be $local[$i].Response
            $rows[$i].ArgsReward | Should -Be $local[$i].Reward
            $rows[$i].Greedy | Should -Be $greedy[$i].Response
        }
    }
}

Describe 'A download killed midway' {
    It 'leaves its part in blobs/(etag).incomplete and the next import resumes it with a Range request' {
        $null = $Hub.AddRepository('org/killed').AddFolder($Demo)
        $Hub.StallAfter('model.onnx', 400000)
        $job = Start-Job -ScriptBlock {
            param($Manifest)
            $PID
            Import-Module $Manifest
            Import-AlignedModel -Repository org/killed
        } -ArgumentList $ModuleManifest
        $blobs = Join-Path $TestDrive 'hf' 'hub' 'models--org--killed' 'blobs'
        $deadline = [DateTime]::UtcNow.AddSeconds(180)
        $part = $null
        while ([DateTime]::UtcNow -lt $deadline) {
            $part = Get-ChildItem $blobs -Filter '*.incomplete' -ErrorAction SilentlyContinue | Where-Object Length -GE 200000 | Select-Object -First 1
            if ($part) { break }
            Start-Sleep -Milliseconds 200
        }
        $part | Should -Not -BeNullOrEmpty -Because 'the child process should have started the transfer'
        $childPid = @(Receive-Job $job)[0]
        Stop-Process -Id $childPid -Force   # SIGKILL: no cleanup runs in the child
        $null = Wait-Job $job -Timeout 30
        Remove-Job $job -Force
        $length = (Get-Item $part.FullName).Length
        $length | Should -BeGreaterThan 0

        $Hub.ClearRequests()
        $model = Import-AlignedModel -Repository org/killed
        try {
            $model.Config.VocabularySize | Should -Be 259
            $graph = $Hub.AddRepository('org/killed').Files['model.onnx']
            $transfer = @($Hub.Requests | Where-Object { $_.IsTransfer -and $_.Path -eq "/cdn/$($graph.Sha256)" })
            $transfer.Count | Should -Be 1
            $transfer[0].Range | Should -Be "bytes=$length-"
            Test-Path $part.FullName | Should -BeFalse
            (Get-FileHash (Join-Path $model.Folder 'model.onnx') -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $graph.Sha256
        } finally { $model.Dispose() }
    }
}
