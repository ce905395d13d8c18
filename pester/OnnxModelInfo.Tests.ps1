# Get-OnnxModelInfo: proves the staged native ONNX Runtime loads inside pwsh (an InferenceSession is created from a
# cmdlet) on a model built by hand in the test, and on the shared models when ../shared is present.

BeforeDiscovery {
    . $PSScriptRoot/TestSupport/Common.ps1
    $script:Stories = Get-SharedPath models stories260K
    if (-not $script:Stories) { Write-SkipReason 'Get-OnnxModelInfo on shared/models' $script:SharedSkipReason }
}

BeforeAll {
    . $PSScriptRoot/TestSupport/Common.ps1
    Import-Module $PSScriptRoot/../AlignedGen.psd1 -Force
    $script:IdentityModel = New-IdentityOnnxModel -Path (Join-Path $TestDrive 'identity.onnx')
}

Describe 'Get-OnnxModelInfo' {
    It 'loads a hand-built Identity model with the native ONNX Runtime and reports what was built' {
        $info = Get-OnnxModelInfo -Path $IdentityModel
        $info.Path | Should -Be $IdentityModel
        $info.ProducerName | Should -BeExactly 'pester'
        $info.GraphName | Should -BeExactly 'pester_graph'
        $info.Inputs.Count | Should -Be 1
        $info.Outputs.Count | Should -Be 1
        $info.Inputs[0].Name | Should -BeExactly 'x'
        $info.Outputs[0].Name | Should -BeExactly 'y'
        $info.Inputs[0].ElementType | Should -BeExactly 'Float'
        $info.Inputs[0].Dimensions | Should -Be @(-1, 3)
        $info.Inputs[0].SymbolicDimensions | Should -Be @('batch', '')
        $info.Inputs[0].Shape | Should -BeExactly '[batch, 3]'
    }

    It 'loads libonnxruntime.so from the staged module folder' {
        $null = Get-OnnxModelInfo -Path $IdentityModel
        if (-not (Test-Path /proc/$PID/maps)) { Set-ItResult -Skipped -Because '/proc is not available on this OS' ; return }
        $loaded = Get-Content /proc/$PID/maps | Where-Object { $_ -match 'libonnxruntime\.so' } | ForEach-Object { ($_ -split '\s+')[-1] } | Select-Object -Unique
        $loaded | Should -Be (Join-Path $StagedModule 'libonnxruntime.so')
    }

    It 'takes a folder and picks its model.onnx, from the pipeline by property name' {
        $folder = Join-Path $TestDrive 'folder'
        $null = New-Item -ItemType Directory $folder
        Copy-Item $IdentityModel (Join-Path $folder 'model.onnx')
        Copy-Item $IdentityModel (Join-Path $folder 'other.onnx')
        (Get-Item $folder | Get-OnnxModelInfo).Path | Should -Be (Join-Path $folder 'model.onnx')
    }

    It 'reports a missing path as AlignedGen.ModelFolder / ObjectNotFound with a fix' {
        $err = { Get-OnnxModelInfo -Path (Join-Path $TestDrive 'nope') -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.ModelFolder,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'reports <Case> as AlignedGen.ModelFolder / OpenError' -ForEach @(
        @{ Case = 'a file that is not ONNX'; Make = { $f = Join-Path $TestDrive 'garbage.onnx'; Set-Content $f 'not a model'; $f } }
        @{ Case = 'a folder without .onnx files'; Make = { $d = Join-Path $TestDrive 'empty'; $null = New-Item -ItemType Directory $d -Force; $d } }
        @{ Case = 'a folder with two .onnx files and no model.onnx'; Make = { $d = Join-Path $TestDrive 'two'; $null = New-Item -ItemType Directory $d -Force; Copy-Item $IdentityModel "$d/a.onnx"; Copy-Item $IdentityModel "$d/b.onnx"; $d } }
    ) {
        $path = & $Make
        $err = { Get-OnnxModelInfo -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'AlignedGen.ModelFolder,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'OpenError'
    }

    It 'goes on with the next path after a bad one (non-terminating)' {
        $infos = @(Get-OnnxModelInfo -Path (Join-Path $TestDrive 'nope'), $IdentityModel -ErrorAction SilentlyContinue -ErrorVariable problems)
        $infos.Count | Should -Be 1
        $problems.Count | Should -Be 1
    }

    It 'reads the stories260K decoder: input_ids, KV-cache inputs and 512-wide logits' -Skip:(-not $Stories) {
        $info = Get-OnnxModelInfo -Path $Stories
        $info.Inputs.Name | Should -Contain 'input_ids'
        $info.Inputs.Name | Should -Contain 'past_key_values.0.key'
        $logits = $info.Outputs | Where-Object Name -EQ 'logits'
        $logits.ElementType | Should -BeExactly 'Float'
        $logits.Dimensions[-1] | Should -Be 512
    }
}
