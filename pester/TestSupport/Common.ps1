# Helpers shared by the Pester tests. Dot-source it: . $PSScriptRoot/TestSupport/Common.ps1

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
if (-not (Test-Path (Join-Path $script:RepositoryRoot 'Pipeline.sln'))) {
    $script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
}
$script:ModuleManifest = Join-Path $script:RepositoryRoot 'AlignedGen.psd1'
$script:StagedModule = Join-Path $script:RepositoryRoot 'module' 'AlignedGen'

# Why tests that need ../shared are skipped when it is absent.
$script:SharedSkipReason = '../shared is absent (a fresh clone has no shared/ folder; set ALIGNEDGEN_SHARED to its path)'

function Get-SharedPath {
    <# The path of a file or folder under shared/ (ALIGNEDGEN_SHARED, else ../shared next to the repository), or $null. #>
    param([Parameter(ValueFromRemainingArguments)][string[]] $Part)
    $root = $env:ALIGNEDGEN_SHARED
    if (-not $root -or -not (Test-Path $root)) { $root = Join-Path $script:RepositoryRoot '..' 'shared' }
    if (-not (Test-Path $root)) { return $null }
    $path = Join-Path $root ($Part -join [IO.Path]::DirectorySeparatorChar)
    if (Test-Path $path) { (Resolve-Path $path).Path } else { $null }
}

function Write-SkipReason {
    <# Prints why a group of tests is skipped (Pester 5's -Skip takes no reason). #>
    param([string] $What, [string] $Reason)
    Write-Host "SKIPPED: $What - $Reason" -ForegroundColor Yellow
}

function Import-ProbeCmdlets {
    <# Compiles TestSupport/ProbeCmdlets.cs (test-only cmdlets on the module's base classes) once per session and imports them. #>
    if (-not $global:AlignedGenProbeAssembly) {
        $coreDll = Join-Path $script:StagedModule 'AlignedGen.dll'
        $moduleDll = Join-Path $script:StagedModule 'AlignedGen.PowerShell.dll'
        # The probe assembly is loaded from memory, so its references must already be loaded.
        Add-Type -Path $coreDll
        Add-Type -Path (Join-Path $script:StagedModule 'Microsoft.ML.OnnxRuntime.dll')
        $references = 'System.Runtime', 'System.Linq', 'System.Collections', 'System.Threading',
            'System.Management.Automation', 'netstandard', $moduleDll, $coreDll
        $types = Add-Type -Path (Join-Path $PSScriptRoot 'ProbeCmdlets.cs') -ReferencedAssemblies $references -PassThru
        $global:AlignedGenProbeAssembly = $types[0].Assembly
    }
    Import-Module -Assembly $global:AlignedGenProbeAssembly -Global
}

function Invoke-InNewRunspace {
    <# Runs a script in a fresh runspace with the module (and probes, when loaded) imported; returns the PowerShell object so tests can read Streams.Progress etc. #>
    param([Parameter(Mandatory)][string] $Script)
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $prelude = "Import-Module '$script:ModuleManifest'; "
    if ($global:AlignedGenProbeAssembly) {
        $prelude += 'Import-Module -Assembly ([AlignedGen.PesterProbes.TestProbeBackgroundWorkCommand].Assembly); '
    }
    $null = $ps.AddScript($prelude + $Script)
    $output = $ps.Invoke()
    [pscustomobject]@{ Output = $output; Streams = $ps.Streams; HadErrors = $ps.HadErrors; PowerShell = $ps }
}

function New-IdentityOnnxModel {
    <#
    Writes a minimal ONNX model by hand-encoding its protobuf: one Identity node y = x, with input and output of type
    float[batch, 3], opset 13, producer 'pester'. Lets the tests load a real model with ONNX Runtime without shared/.
    Field numbers are from onnx/onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, TensorShapeProto).
    #>
    param([Parameter(Mandatory)][string] $Path)

    function Varint([uint64] $value) {
        $bytes = [System.Collections.Generic.List[byte]]::new()
        do {
            $b = [byte]($value -band 0x7F)
            $value = $value -shr 7
            if ($value -ne 0) { $b = $b -bor 0x80 }
            $bytes.Add($b)
        } while ($value -ne 0)
        , $bytes.ToArray()
    }
    function VarintField([int] $field, [uint64] $value) { , ([byte[]](Varint ([uint64]($field -shl 3))) + (Varint $value)) }
    function BytesField([int] $field, [byte[]] $payload) { , ([byte[]](Varint ([uint64](($field -shl 3) -bor 2))) + (Varint ([uint64]$payload.Length)) + $payload) }
    function StringField([int] $field, [string] $text) { , (BytesField $field ([Text.Encoding]::UTF8.GetBytes($text))) }

    function TensorValueInfo([string] $name) {
        $dimBatch = BytesField 1 (StringField 2 'batch')                 # Dimension.dim_param
        $dim3 = BytesField 1 (VarintField 1 3)                            # Dimension.dim_value
        $shape = BytesField 2 ([byte[]]$dimBatch + $dim3)                 # TypeProto.Tensor.shape
        $tensor = [byte[]](VarintField 1 1) + $shape                      # elem_type FLOAT = 1
        $type = BytesField 1 $tensor                                      # TypeProto.tensor_type
        , ([byte[]](StringField 1 $name) + (BytesField 2 $type))          # ValueInfoProto name, type
    }

    $node = [byte[]](StringField 1 'x') + (StringField 2 'y') + (StringField 3 'identity') + (StringField 4 'Identity')
    $graph = [byte[]](BytesField 1 $node) + (StringField 2 'pester_graph') + (BytesField 11 (TensorValueInfo 'x')) + (BytesField 12 (TensorValueInfo 'y'))
    $opset = [byte[]](StringField 1 '') + (VarintField 2 13)
    $model = [byte[]](VarintField 1 8) + (StringField 2 'pester') + (BytesField 7 $graph) + (BytesField 8 $opset)
    [IO.File]::WriteAllBytes($Path, $model)
    $Path
}

function Start-FakeHub {
    <#
    Starts the fake Hugging Face Hub (tests/AlignedGen.FakeHub, built by build/setup.sh) on 127.0.0.1 and returns the
    AlignedGen.FakeHub.FakeHubServer; add repositories with $server.AddRepository('org/name').AddFolder($folder).
    #>
    if (-not ('AlignedGen.FakeHub.FakeHubServer' -as [type])) {
        $configuration = if ($env:CONFIGURATION) { $env:CONFIGURATION } else { 'Release' }
        $candidates = @(Get-ChildItem (Join-Path $script:RepositoryRoot 'tests' 'AlignedGen.FakeHub' 'bin') -Recurse -Filter 'AlignedGen.FakeHub.dll' -ErrorAction SilentlyContinue |
            Sort-Object @{ Expression = { $_.FullName -like "*$([IO.Path]::DirectorySeparatorChar)$configuration$([IO.Path]::DirectorySeparatorChar)*" }; Descending = $true }, LastWriteTime -Descending)
        if ($candidates.Count -eq 0) { throw 'AlignedGen.FakeHub.dll is not built; run build/setup.sh.' }
        Add-Type -Path $candidates[0].FullName
    }
    [AlignedGen.FakeHub.FakeHubServer]::new()
}

function Use-HubEnvironment {
    <# Points the HF_* variables at a fake Hub and a fresh cache under $CacheRoot; returns the old values for Restore-HubEnvironment. #>
    param([Parameter(Mandatory)][string] $Endpoint, [Parameter(Mandatory)][string] $CacheRoot)
    $names = 'HF_ENDPOINT', 'HF_HOME', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'
    $saved = @{}
    foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
    $env:HF_ENDPOINT = $Endpoint
    $env:HF_HOME = $CacheRoot
    $saved
}

function Restore-HubEnvironment {
    param([Parameter(Mandatory)][hashtable] $Saved)
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}
