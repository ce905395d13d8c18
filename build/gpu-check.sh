#!/usr/bin/env bash
# The GPU check (issues 12 and 19; docs/gpu.md), for a machine with an NVIDIA GPU, CUDA 13 and cuDNN 9: builds the GPU
# flavour of the benchmarks and runs `AlignedGen.Benchmarks gpu` on CUDA device 0: greedy on stories260K (fp32: tokens
# identical to the CPU) and on tiny-random-llama-fp16 (fp16: prefill logits within tolerance of the CPU), CPU and CUDA
# tokens/s, printed as one table. More folders (e.g. the ~0.5B presets of issue 12, fp32 and fp16) are added with
# ALIGNEDGEN_GPU_CHECK_MODELS=DIR[:DIR...]; without --quick the qwen2.5-0.5b preset (fp32 and fp16) is built and checked too.
# Without a GPU it stops at once with exit code 3 and says so: build/gpu-flavour-check.sh is the check for machines
# without one (CI).
# Usage: bash build/gpu-check.sh [--quick]      (CONFIGURATION=Debug|Release, default Release)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 ORT_DISABLE_TELEMETRY=1
configuration="${CONFIGURATION:-Release}"

if ! command -v nvidia-smi > /dev/null 2>&1 || ! nvidia-smi -L > /dev/null 2>&1; then
    echo "gpu-check: FAILED: no NVIDIA GPU on this machine (nvidia-smi is missing or lists no device)." >&2
    echo "gpu-check: this script needs CUDA device 0, CUDA 13 and cuDNN 9; on a machine without a GPU run build/gpu-flavour-check.sh." >&2
    exit 3
fi
nvidia-smi -L

echo "== build the GPU flavour of the benchmarks"
dotnet build tests/AlignedGen.Benchmarks/AlignedGen.Benchmarks.csproj -c "$configuration" -p:AlignedGenFlavour=Gpu --nologo -v:minimal -clp:NoSummary

echo "== AlignedGen.Benchmarks gpu (CPU vs CUDA device 0), load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "tests/AlignedGen.Benchmarks/bin/gpu/$configuration/net10.0/linux-x64/AlignedGen.Benchmarks.dll" gpu "$@"
