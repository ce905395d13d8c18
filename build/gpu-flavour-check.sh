#!/usr/bin/env bash
# CI's test of the GPU flavour on a machine without a GPU (issue 19; docs/gpu.md). Builds every shipped artefact with
# -p:AlignedGenFlavour=Gpu (the CLI, the staged PowerShell module, the ML.NET example: build/gpu-flavour.slnf), then
# checks, from outside the code under test:
#   - each output folder's libonnxruntime.so (and libonnxruntime_providers_cuda.so) is byte for byte the file of
#     Microsoft.ML.OnnxRuntime.Gpu.Linux at the version of the managed Microsoft.ML.OnnxRuntime.dll beside it, and no
#     CPU ONNX Runtime native is there;
#   - greedy on ../shared/models/stories260K on the CPU execution provider from the GPU build gives the CPU flavour's
#     tokens (CLI, module, ML.NET example);
#   - asking for CUDA without CUDA: the CLI exits 2 with the documented message, the module stops with
#     AlignedGen.CudaUnavailable; with --allow-cpu-fallback / -AllowCpuFallback the run goes on on the CPU and says so.
# Needs the CPU flavour built first (build/setup.sh). Ends with "N passed, N failed, N skipped" (and a GPUCHECK line
# that build/test.sh reads). Checks that need ../shared skip with a printed reason when it is absent.
# Usage: bash build/gpu-flavour-check.sh        (CONFIGURATION=Debug|Release, default Release)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 ORT_DISABLE_TELEMETRY=1
configuration="${CONFIGURATION:-Release}"
started=$SECONDS
work=$(mktemp -d /tmp/alignedgen-gpu-flavour.XXXXXX)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0 skipped=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }
finish() {
    echo "== GPU flavour check done ($((SECONDS - started)) s)"
    echo "GPUCHECK passed=$passed failed=$failed skipped=$skipped"
    echo "$passed passed, $failed failed, $skipped skipped"
    [[ $failed -eq 0 ]]
    exit
}

tfm=net10.0/linux-x64
cli_gpu="src/AlignedGen.Cli/bin/gpu/$configuration/$tfm"
cli_cpu="src/AlignedGen.Cli/bin/$configuration/$tfm"
example_gpu="examples/ArgsOverJsonl/bin/gpu/$configuration/$tfm"
example_cpu="examples/ArgsOverJsonl/bin/$configuration/$tfm"
module_gpu="artifacts/gpu/module/AlignedGen"
nuget=$(dotnet msbuild src/AlignedGen/AlignedGen.csproj -getProperty:NuGetPackageRoot 2>/dev/null || true)
nuget="${nuget:-${NUGET_PACKAGES:-$HOME/.nuget/packages}/}"
shared="${ALIGNEDGEN_SHARED:-$(cd .. && pwd)/shared}"

echo "== build the GPU flavour (CLI, module, ML.NET example)"
if dotnet build build/gpu-flavour.slnf -c "$configuration" -p:AlignedGenFlavour=Gpu --nologo -v:minimal -clp:NoSummary > "$work/build.log" 2>&1; then
    pass "the GPU flavour builds (CLI, module staging, ML.NET example; Directory.Build.targets' ONNX Runtime check included)"
else
    grep -E "error|Error" "$work/build.log" | sort -u | head -20
    fail "the GPU flavour does not build (log above)"
    finish
fi

echo "== one ONNX Runtime per output folder: the GPU package's, at the managed version"
sha() { sha256sum "$1" | cut -d' ' -f1; }
for folder in "$cli_gpu" "$module_gpu" "$example_gpu"; do
    managed_dll="$folder/Microsoft.ML.OnnxRuntime.dll"
    if [[ ! -f "$managed_dll" ]]; then fail "$folder: no Microsoft.ML.OnnxRuntime.dll"; continue; fi
    # The informational version ("1.32.0+<commit>") is stored as UTF-8 in the assembly's attributes.
    managed=$(grep -aoE '[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-f]{40}' "$managed_dll" | head -n1 | cut -d+ -f1)
    package="${nuget%/}/microsoft.ml.onnxruntime.gpu.linux/$managed/runtimes/linux-x64/native"
    for lib in libonnxruntime.so libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so; do
        if [[ ! -f "$folder/$lib" ]]; then fail "$folder: $lib is missing"
        elif [[ ! -f "$package/$lib" ]]; then fail "$folder: managed ONNX Runtime is '$managed' but $package/$lib does not exist"
        elif [[ $(sha "$folder/$lib") != $(sha "$package/$lib") ]]; then fail "$folder/$lib is not Microsoft.ML.OnnxRuntime.Gpu.Linux $managed's"
        else pass "$folder/$lib is Microsoft.ML.OnnxRuntime.Gpu.Linux $managed's (managed $managed)"; fi
    done
    # No CPU ONNX Runtime anywhere below the folder: every libonnxruntime.so there is the GPU package's file.
    strays=$(find "$folder" \( -name 'libonnxruntime.so*' -o -name 'onnxruntime.dll' \) -print | while read -r f; do
        [[ -f "$package/libonnxruntime.so" && $(sha "$f") == $(sha "$package/libonnxruntime.so") ]] || echo "$f"; done)
    if [[ -z "$strays" ]]; then pass "$folder: no other ONNX Runtime native library"
    else fail "$folder: other ONNX Runtime natives: $(echo $strays)"; fi
done

# The build's own check (Directory.Build.targets) must refuse a CPU libonnxruntime.so in a GPU-flavour output folder.
mkdir -p "$work/mixed"
cp "${nuget%/}/microsoft.ml.onnxruntime/$managed/runtimes/linux-x64/native/libonnxruntime.so" "$work/mixed/" 2> /dev/null
if [[ ! -f "$work/mixed/libonnxruntime.so" ]]; then
    fail "the CPU package's libonnxruntime.so $managed is not in the NuGet cache (restore the CPU flavour first)"
elif dotnet msbuild src/AlignedGen.Cli/AlignedGen.Cli.csproj -t:CheckOnnxRuntimeFlavour -p:AlignedGenFlavour=Gpu -p:Configuration="$configuration" \
        -p:OutDir="$work/mixed/" -nologo -v:minimal > "$work/mixed.log" 2>&1; then
    fail "the build check accepted a CPU libonnxruntime.so in a GPU-flavour output folder"
elif grep -q "is not the libonnxruntime.so of Microsoft.ML.OnnxRuntime.Gpu.Linux" "$work/mixed.log"; then
    pass "the build check fails a GPU-flavour build whose output folder holds the CPU libonnxruntime.so"
else fail "the build check failed for another reason: $(grep -m1 error "$work/mixed.log")"; fi

if [[ ! -d "$shared/models/stories260K" ]]; then
    skip "greedy and CUDA requests on stories260K: $shared/models/stories260K is absent (a fresh clone has no ../shared; set ALIGNEDGEN_SHARED)"
    finish
fi
model="$shared/models/stories260K"
if [[ ! -f "$cli_cpu/aligngen.dll" ]]; then
    fail "the CPU flavour's CLI ($cli_cpu/aligngen.dll) is not built: run build/setup.sh first"
    finish
fi
cuda_present=false
if command -v nvidia-smi > /dev/null 2>&1 && nvidia-smi -L > /dev/null 2>&1; then cuda_present=true; fi

echo "== greedy on stories260K: GPU build on the CPU provider vs the CPU build"
prompts=(--prompt "Once upon a time" --prompt "The little dog" --prompt "Lily wanted to")
generate() { # $1 = folder of aligngen.dll, rest = extra options; JSON lines without the timing field
    local dir=$1; shift
    dotnet "$dir/aligngen.dll" generate --model "$model" "${prompts[@]}" --strategy greedy --max-new-tokens 24 "$@" \
        2> "$work/stderr" | sed -E 's/,"ms":[0-9.eE+-]+//'
    return "${PIPESTATUS[0]}"
}
generate "$cli_cpu" > "$work/cpu.jsonl"; cpu_code=$?
generate "$cli_gpu" --device cpu > "$work/gpu.jsonl"; gpu_code=$?
# Rows equal but for wall time: the rows carry their share of the batch's time (row_share_ms, batch_ms), which no two runs share.
same_rows() { cmp -s <(sed -E 's/"(row_share_ms|batch_ms)":[0-9.eE+-]+/"\1":0/g' "$1") <(sed -E 's/"(row_share_ms|batch_ms)":[0-9.eE+-]+/"\1":0/g' "$2"); }
if [[ $cpu_code -ne 0 || ! -s "$work/cpu.jsonl" ]]; then fail "CPU flavour CLI greedy failed (exit $cpu_code)"
elif [[ $gpu_code -ne 0 ]]; then fail "GPU flavour CLI greedy on the CPU provider failed (exit $gpu_code): $(head -c 600 "$work/stderr")"
elif same_rows "$work/cpu.jsonl" "$work/gpu.jsonl"; then pass "CLI greedy from the GPU build = CPU build ($(wc -l < "$work/gpu.jsonl") prompts, same text and token counts)"
else fail "CLI greedy differs between the flavours:"; diff <(cut -c1-300 "$work/cpu.jsonl") <(cut -c1-300 "$work/gpu.jsonl") | head -6; fi

echo "== asking for CUDA without CUDA"
if $cuda_present; then
    skip "the no-CUDA errors: this machine has a working NVIDIA driver (build/gpu-check.sh covers CUDA)"
else
    generate "$cli_gpu" --device cuda > "$work/cuda.jsonl"; code=$?
    if [[ $code -eq 2 ]] && grep -q "error: CUDA device 0 is unavailable: .* Fix: " "$work/stderr" && [[ ! -s "$work/cuda.jsonl" ]]; then
        pass "CLI --device cuda exits 2: $(head -c 160 "$work/stderr")..."
    else fail "CLI --device cuda: exit $code, stderr: $(head -c 600 "$work/stderr")"; fi
    generate "$cli_gpu" --device cuda:0 --allow-cpu-fallback > "$work/fallback.jsonl"; code=$?
    if [[ $code -eq 0 ]] && grep -q "warning: running on CPU (fallback: CUDA device 0 unavailable" "$work/stderr" && same_rows "$work/cpu.jsonl" "$work/fallback.jsonl"; then
        pass "CLI --device cuda:0 --allow-cpu-fallback runs on the CPU, says so on stderr, same tokens"
    else fail "CLI --allow-cpu-fallback: exit $code, stderr: $(head -c 600 "$work/stderr")"; fi
fi

echo "== the GPU module (artifacts/gpu/module/AlignedGen)"
cat > "$work/module.ps1" <<'PS'
param($Module, $Model, $Expected, $CudaPresent)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $Module)
$expected = @(Get-Content $Expected | ConvertFrom-Json)
$m = Import-AlignedModel -Path $Model
try {
    $r = @(Invoke-RewardGuidedDecode -Model $m -Strategy Greedy -Prompt 'Once upon a time', 'The little dog', 'Lily wanted to' -MaxNewTokens 24)
    $same = $r.Count -eq $expected.Count
    for ($i = 0; $same -and $i -lt $r.Count; $i++) { $same = $r[$i].Response -ceq $expected[$i].response }
    if ($m.ExecutionReport -eq 'CPU' -and $same) { "PASS: module greedy from the GPU build = CPU-flavour CLI ($($r.Count) prompts)" }
    else { "FAIL: module greedy: report '$($m.ExecutionReport)', texts: $(($r | ForEach-Object Response) -join ' | ')" }
} finally { $m.Dispose() }
if ($CudaPresent -eq 'true') { 'SKIP: module CUDA errors: this machine has a working NVIDIA driver'; return }
try {
    $null = Import-AlignedModel -Path $Model -Device Cuda
    'FAIL: Import-AlignedModel -Device Cuda loaded without CUDA'
} catch {
    if ($_.FullyQualifiedErrorId -like 'AlignedGen.CudaUnavailable,*' -and $_.CategoryInfo.Category -eq 'ResourceUnavailable') {
        "PASS: Import-AlignedModel -Device Cuda stops with $($_.FullyQualifiedErrorId) ($($_.CategoryInfo.Category), target $($_.TargetObject))"
    } else { "FAIL: Import-AlignedModel -Device Cuda: $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
}
$f = Import-AlignedModel -Path $Model -Device Cuda -AllowCpuFallback -WarningVariable warned -WarningAction SilentlyContinue
try {
    if ($f.ExecutionReport -like 'CPU (fallback: CUDA device 0 unavailable*' -and "$warned" -like '*fallback*') { "PASS: -AllowCpuFallback runs on the CPU and warns: $($f.ExecutionReport.Substring(0, 60))..." }
    else { "FAIL: -AllowCpuFallback: report '$($f.ExecutionReport)', warning '$warned'" }
} finally { $f.Dispose() }
PS
if [[ ! -f "$module_gpu/AlignedGen.psd1" ]]; then
    fail "$module_gpu/AlignedGen.psd1 was not staged"
else
    dotnet tool run pwsh -NoProfile -NonInteractive -File "$work/module.ps1" -Module "$module_gpu/AlignedGen.psd1" -Model "$model" \
        -Expected "$work/cpu.jsonl" -CudaPresent "$cuda_present" > "$work/module.out" 2>&1
    code=$?
    cat "$work/module.out"
    p=$(grep -c '^PASS: ' "$work/module.out") f=$(grep -c '^FAIL: ' "$work/module.out") s=$(grep -c '^SKIP: ' "$work/module.out")
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    if [[ $code -ne 0 || $((p + f + s)) -eq 0 ]]; then fail "the module check script exited $code"; fi
fi

echo "== the ML.NET example (ARGS + proxy reward with the packaged MiniLM) from the GPU build vs the CPU build"
printf '{"prompt":"Once upon a time"}\n{"prompt":"The little dog"}\n' > "$work/prompts.jsonl"
example() { dotnet "$1/ArgsOverJsonl.dll" "$work/prompts.jsonl" "$2" --model "$model" --max-new-tokens 6 --top-k 4 > "$work/example.log" 2>&1; }
if [[ ! -f "$example_cpu/ArgsOverJsonl.dll" ]]; then
    fail "the CPU flavour's example ($example_cpu) is not built: run build/setup.sh first"
elif ! example "$example_cpu" "$work/example-cpu.jsonl"; then
    fail "the CPU-flavour example failed: $(tail -c 400 "$work/example.log")"
elif ! example "$example_gpu" "$work/example-gpu.jsonl"; then
    fail "the GPU-flavour example failed: $(tail -c 600 "$work/example.log")"
else
    strip() { sed -E 's/"[A-Za-z]*(Elapsed|Milliseconds|ms)[A-Za-z]*":[0-9.eE+-]+,?//g' "$1"; }
    if [[ -s "$work/example-gpu.jsonl" ]] && diff <(strip "$work/example-cpu.jsonl") <(strip "$work/example-gpu.jsonl") > /dev/null; then
        pass "ML.NET example from the GPU build = CPU build ($(wc -l < "$work/example-gpu.jsonl") rows; MiniLM ran on the GPU build's ONNX Runtime)"
    else fail "ML.NET example output differs:"; diff <(strip "$work/example-cpu.jsonl") <(strip "$work/example-gpu.jsonl") | head -6; fi
fi
finish
