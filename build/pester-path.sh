#!/usr/bin/env bash
# Prints the path of Pester.psd1 as restored by build/tools/PesterDownload.csproj (run build/setup.sh first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
project=build/tools/PesterDownload.csproj
version=$(sed -n 's:.*<PesterVersion>\(.*\)</PesterVersion>.*:\1:p' "$project")
root=$(dotnet msbuild "$project" -getProperty:NuGetPackageRoot 2>/dev/null || true)
root=${root:-${NUGET_PACKAGES:-$HOME/.nuget/packages}/}
manifest="${root%/}/pester/$version/tools/Pester.psd1"
test -f "$manifest" || { echo "Pester $version not found at $manifest; run build/setup.sh" >&2; exit 1; }
echo "$manifest"
