#!/usr/bin/env bash
# The project's test command. On a fresh clone with only the .NET SDK it sets everything up (build/setup.sh), runs the
# xunit suites (dotnet test, trx results) and the Pester suite (pester/*.Tests.ps1 against the staged module), and
# then the GPU-flavour check (build/gpu-flavour-check.sh: builds the GPU flavour, checks its natives and runs it on the
# CPU provider), then the scale-out test on a private single-node Slurm cluster (build/slurm/scale-out-test.sh: job
# arrays with --shard auto, merged and compared with one process, a task cancelled and requeued; it skips when not root),
# and ends with one line "N passed, N failed, N skipped" summed over all four. Exits non-zero when a test failed or a suite
# could not run. Tests that need ../shared (models, data) skip with a printed reason when it is absent; set
# ALIGNEDGEN_SHARED to use another copy.
# Usage: bash build/test.sh [--no-setup]    (CONFIGURATION=Debug|Release, default Release)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 ORT_DISABLE_TELEMETRY=1
configuration="${CONFIGURATION:-Release}"
results=artifacts/test-results
started=$SECONDS

passed=0 failed=0 skipped=0 broken=()

if [[ "${1:-}" != "--no-setup" ]]; then
    if ! CONFIGURATION="$configuration" bash build/setup.sh; then
        echo "test: set-up failed (see above); no tests ran"
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
rm -rf "$results" && mkdir -p "$results"

# Reads one attribute (total, executed, passed ...) of a trx file's <Counters> element.
trx_count() { grep -o '<Counters [^>]*>' "$1" | head -n1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0; }

# Adds the "TAG passed=N failed=N skipped=N" line of a log to the totals; a missing line, or a non-zero exit with no
# failure counted, is a suite problem. Usage: add_counts LOG TAG EXIT_CODE NAME
add_counts() {
    local line p f s
    line=$(grep -a "^$2 passed=" "$1" | tail -n1)
    if [[ -z "$line" ]]; then broken+=("$4 exited $3 without a result"); return; fi
    p=$(sed 's/.*passed=\([0-9]*\).*/\1/' <<<"$line") f=$(sed 's/.*failed=\([0-9]*\).*/\1/' <<<"$line") s=$(sed 's/.*skipped=\([0-9]*\).*/\1/' <<<"$line")
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    if [[ $3 -ne 0 && $f -eq 0 ]]; then broken+=("$4 exited $3 with no failed test"); fi
}

echo "== xunit"
mapfile -t test_projects < <(grep -l '<IsTestProject>true</IsTestProject>' tests/*/*.csproj 2>/dev/null)
if [[ ${#test_projects[@]} -eq 0 ]]; then broken+=("no xunit test project found"); fi
for project in "${test_projects[@]}"; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c "$configuration" --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results"
    code=$?
    trx="$results/$name.trx"
    if [[ ! -f "$trx" ]]; then
        broken+=("$name: dotnet test exited $code without results")
        continue
    fi
    # Skipped xunit tests are counted as not executed (outcome NotExecuted, no counter of their own); anything
    # executed that did not pass (failed, error, timeout, aborted) is a failure.
    total=$(trx_count "$trx" total) executed=$(trx_count "$trx" executed) p=$(trx_count "$trx" passed)
    f=$((executed - p)) s=$((total - executed))
    echo "xunit $name: $p passed, $f failed, $s skipped (exit $code)"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    if [[ $code -ne 0 && $f -eq 0 ]]; then broken+=("$name: dotnet test exited $code with no failed test"); fi
done

echo "== Pester"
if pester=$(bash build/pester-path.sh); then
    pester_log="$results/pester.log"
    dotnet tool run pwsh -NoProfile -NonInteractive -File build/run-pester.ps1 \
        -PesterManifest "$pester" -ResultFile "$results/pester.xml" 2>&1 | tee "$pester_log"
    add_counts "$pester_log" PESTER "${PIPESTATUS[0]}" Pester
else
    broken+=("Pester is not installed")
fi

echo "== GPU flavour (build/gpu-flavour-check.sh)"
gpu_log="$results/gpu-flavour.log"
CONFIGURATION="$configuration" bash build/gpu-flavour-check.sh 2>&1 | tee "$gpu_log"
add_counts "$gpu_log" GPUCHECK "${PIPESTATUS[0]}" build/gpu-flavour-check.sh

echo "== Slurm scale-out (build/slurm/scale-out-test.sh)"
slurm_log="$results/slurm.log"
CONFIGURATION="$configuration" bash build/slurm/scale-out-test.sh 2>&1 | tee "$slurm_log"
add_counts "$slurm_log" SLURM "${PIPESTATUS[0]}" build/slurm/scale-out-test.sh

echo "== summary ($((SECONDS - started)) s)"
for problem in "${broken[@]}"; do echo "test: suite problem: $problem"; done
failed=$((failed + ${#broken[@]}))
if [[ $passed -eq 0 && $failed -eq 0 ]]; then
    echo "test: no test ran"
    failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
