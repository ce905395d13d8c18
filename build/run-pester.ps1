# Runs the Pester suite (pester/*.Tests.ps1) against the staged module and prints one machine-readable line:
#   PESTER passed=N failed=N skipped=N
# where failed also counts blocks and files that failed outside a test (discovery, BeforeAll). Exits 1 on any failure.
param(
    [Parameter(Mandatory)][string] $PesterManifest,
    [string] $ResultFile
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest
$root = Split-Path $PSScriptRoot -Parent
$config = New-PesterConfiguration
$config.Run.Path = Join-Path $root 'pester'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
if ($env:CI -or [Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
if ($ResultFile) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'JUnitXml'
    $config.TestResult.OutputPath = $ResultFile
}
$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"PESTER passed=$($result.PassedCount) failed=$failed skipped=$($result.SkippedCount + $result.NotRunCount)"
if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0
