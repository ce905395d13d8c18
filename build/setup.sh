#!/usr/bin/env bash
# Sets up a fresh clone with nothing but the .NET SDK: restores the local tools (pwsh), downloads Pester from NuGet,
# installs Debian's chromium and a font for the report tests when missing and root (build/install-report-tools.sh),
# Debian's slurm-wlm and munge for the scale-out test (build/slurm/cluster.sh install),
# builds the solution and stages the PowerShell module into module/AlignedGen/ (the build does that).
# Usage: bash build/setup.sh            (CONFIGURATION=Debug|Release, default Release)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 ORT_DISABLE_TELEMETRY=1
configuration="${CONFIGURATION:-Release}"

echo "== dotnet tool restore (pwsh)"
dotnet tool restore

echo "== Pester from NuGet"
dotnet restore build/tools/PesterDownload.csproj --verbosity quiet

echo "== Chromium and fonts for the report tests"
bash build/install-report-tools.sh || echo "setup: build/install-report-tools.sh failed; the report browser test will skip"

echo "== Slurm and munge for the scale-out test"
bash build/slurm/cluster.sh install || echo "setup: build/slurm/cluster.sh install failed; the Slurm scale-out test will skip"

echo "== build Pipeline.sln ($configuration)"
dotnet build Pipeline.sln -c "$configuration" --nologo -clp:NoSummary -v:minimal

test -f module/AlignedGen/AlignedGen.PowerShell.dll || { echo "setup: the module was not staged in module/AlignedGen/" >&2; exit 1; }
echo "== set-up done; import the module with: dotnet tool run pwsh -c \"Import-Module ./AlignedGen.psd1\""
