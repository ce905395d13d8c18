#!/usr/bin/env bash
# The scale-out test on a real Slurm cluster: a private single-node cluster on this machine (build/slurm/cluster.sh),
# job arrays running the built `aligngen` with --shard auto over ../shared data, each merged and compared byte for byte
# with one process's output; then one array task cancelled midway (scancel: SIGTERM, then SIGKILL after KillWait),
# requeued (scontrol requeue), and the merge checked again. It stops the daemons it started and deletes its folder.
#
# Checks, one "test" each: relabel array = one process; generate array = one process; a rerun of finished shards
# changes nothing; a cancelled and requeued task resumes and the merge is still exact.
# Ends with one line "SLURM passed=N failed=N skipped=N" (build/test.sh adds it to its totals). Skips, with the reason,
# when not root, when Slurm is missing and cannot be installed, when ../shared is absent, or when aligngen is not built.
# Usage: bash build/slurm/scale-out-test.sh      (CONFIGURATION=Debug|Release, default Release; ALIGNEDGEN_SHARED)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
configuration="${CONFIGURATION:-Release}"
shared=$(cd "${ALIGNEDGEN_SHARED:-$root/../shared}" 2>/dev/null && pwd) || shared=""
aligngen="$root/src/AlignedGen.Cli/bin/$configuration/net10.0/linux-x64/aligngen"
checks=4
passed=0 failed=0 skipped=0
started=$SECONDS

skip_all() {
    echo "slurm: SKIPPED: $1"
    echo "SLURM passed=0 failed=0 skipped=$checks"
    exit 0
}
pass() { echo "slurm: PASS $1 ($((SECONDS - check_started)) s)"; passed=$((passed + 1)); }
fail() { echo "slurm: FAIL $1"; failed=$((failed + 1)); }

[[ $(id -u) -eq 0 ]] || skip_all "not root: the Slurm daemons run as root here"
[[ -n "$shared" && -d "$shared/models/rm-llama-seqcls" && -f "$shared/data/story-samples.jsonl" ]] || skip_all "../shared (models and data) is absent; set ALIGNEDGEN_SHARED to use another copy"
[[ -x "$aligngen" ]] || skip_all "$aligngen is not built (run bash build/setup.sh)"
if ! bash build/slurm/cluster.sh install; then skip_all "slurm-wlm and munge are missing and could not be installed"; fi

work=$(mktemp -d /tmp/aligngen-slurm.XXXXXX)
cluster="$work/cluster"
cleanup() {
    [[ -n "${SLURM_CONF:-}" ]] && scancel --full --quiet --user=root >/dev/null 2>&1 && sleep 2
    bash "$root/build/slurm/cluster.sh" stop "$cluster" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

# Two free ports, so that this cluster neither meets nor blocks another one on the machine.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=$((20000 + RANDOM % 20000))
while ! port_free "$base" || ! port_free $((base + 1)); do base=$((base + 2)); done
export ALIGNEDGEN_SLURMCTLD_PORT=$base ALIGNEDGEN_SLURMD_PORT=$((base + 1))
if ! bash build/slurm/cluster.sh start "$cluster" >"$work/start.log" 2>&1; then
    cat "$work/start.log"
    tail -n 20 "$cluster"/log/*.log 2>/dev/null
    echo "slurm: the cluster did not start"
    echo "SLURM passed=0 failed=$checks skipped=0"
    exit 1
fi
export SLURM_CONF="$cluster/slurm.conf"
echo "slurm: cluster up in $((SECONDS - started)) s ($(sinfo -h -o '%N %c CPUs %T'), ports $base-$((base + 1)))"

# Data: the first rows of ../shared's story samples (4 responses per prompt) and story prompts.
mkdir -p "$work/data" "$work/logs"
head -n "${SLURM_TEST_ROWS:-800}" "$shared/data/story-samples.jsonl" >"$work/data/samples.jsonl"
head -n "${SLURM_TEST_PROMPTS:-24}" "$shared/data/story-prompts.jsonl" >"$work/data/prompts.jsonl"
relabel_args=(relabel -i "$work/data/samples.jsonl" -r "$shared/models/rm-llama-seqcls" --batch-size 4 --quiet)
generate_args=(generate -i "$work/data/prompts.jsonl" -m "$shared/models/stories260K" --strategy "args w=1 k=5" -r "$shared/models/rm-llama-cached"
    --max-new-tokens 24 --seed 7 --batch-size 4 --quiet)

# The array job is the Slurm example, examples/deploy/slurm/aligngen-array.sbatch: every task runs the same command with
# --shard auto (its shard from SLURM_ARRAY_TASK_*) and --resume (its own file continued after a requeue; nothing done
# when it is complete), exec'd so that scancel's SIGTERM reaches aligngen.
task="$root/examples/deploy/slurm/aligngen-array.sbatch"
export ALIGNGEN="$aligngen"

# submit NAME PARTS_DIR EXT ARGS...: an array of 4 tasks, without waiting; prints the job id.
submit() {
    local name=$1 parts=$2 ext=$3
    shift 3
    mkdir -p "$parts"
    PARTS_FORMAT="$ext" sbatch --parsable --array=0-3 --job-name="$name" --cpus-per-task=1 \
        -o "$work/logs/$name-%A_%a.out" "$task" "$parts" "$@"
}
# run_array NAME PARTS_DIR EXT ARGS...: sbatch --array=0-3 --wait; true when every task succeeded.
run_array() {
    local name=$1 parts=$2 ext=$3
    shift 3
    mkdir -p "$parts"
    PARTS_FORMAT="$ext" sbatch --wait --array=0-3 --job-name="$name" --cpus-per-task=1 -o "$work/logs/$name-%A_%a.out" "$task" "$parts" "$@" >/dev/null
}
parts() { echo "$1/part-0.$2" "$1/part-1.$2" "$1/part-2.$2" "$1/part-3.$2"; }
show_logs() { tail -n 5 "$work"/logs/"$1"-*.out 2>/dev/null; }
# same FILE_A FILE_B: byte-identical, or the first differing line is shown.
same() {
    if cmp -s "$1" "$2"; then return 0; fi
    return_diff "$1" "$2"
}
# same_but_time FILE_A FILE_B: generation rows carry wall time (their share of the batch's time, the batch's time and
# size), which no two runs share: byte-identical once those values are blanked (text, ids, rewards, LM and RM work stay:
# each row's calls and positions are its own, whatever shares its batch).
same_but_time() {
    local blank='s/"(row_share_ms|batch_ms|batch_rows)":[0-9.eE+-]+/"\1":0/g'
    if cmp -s <(sed -E "$blank" "$1") <(sed -E "$blank" "$2"); then return 0; fi
    return_diff "$1" "$2"
}
return_diff() {
    echo "slurm: $1 and $2 differ:"
    diff <(head -c 200000 "$1") <(head -c 200000 "$2") | head -n 6
    return 1
}
# requeue TASK: a finished (here: cancelled) array task back to pending, as a preempted or failed task is requeued.
# Retried while the controller is still finishing the cancelled task; a requeued job is held back ~2 minutes by
# default, so its start time is set to now.
requeue() {
    local tries=0
    until scontrol show job "$1" 2>/dev/null | grep -q 'Restarts=[1-9]'; do
        [[ $tries -lt 30 ]] || return 1
        scontrol requeue "$1" 2>>"$work/requeue.err" || sleep 1
        tries=$((tries + 1))
    done
    scontrol update jobid="$1" StartTime=now >/dev/null 2>&1 || true
}
# wait_rerun TASK SECONDS: until the requeued task has run again and finished.
wait_rerun() {
    local waited=0
    until scontrol show job "$1" 2>/dev/null | grep -q 'JobState=\(COMPLETED\|FAILED\|CANCELLED\|TIMEOUT\|NODE_FAIL\)'; do
        sleep 1
        waited=$((waited + 1))
        [[ $waited -lt $2 ]] || return 1
    done
}
wait_gone() { # wait_gone JOB SECONDS: until no task of the job is pending or running
    local waited=0
    while [[ -n "$(squeue -h -j "$1" 2>/dev/null)" ]]; do
        sleep 1
        waited=$((waited + 1))
        [[ $waited -lt $2 ]] || return 1
    done
}

# 1. Relabel: one process, then the array, merged.
check_started=$SECONDS
"$aligngen" "${relabel_args[@]}" -o "$work/relabel-single.jsonl" || fail "relabel: the single-process run failed"
single_relabel_s=$((SECONDS - check_started))
check_started=$SECONDS
if run_array relabel "$work/relabel" jsonl "${relabel_args[@]}" \
    && "$aligngen" merge -i "$work/data/samples.jsonl" -o "$work/relabel-merged.jsonl" $(parts "$work/relabel" jsonl) \
    && same "$work/relabel-single.jsonl" "$work/relabel-merged.jsonl"; then
    pass "relabel: sbatch --array=0-3 --wait with --shard auto, merged = one process byte for byte ($(wc -l <"$work/relabel-merged.jsonl") rows; one process ${single_relabel_s} s)"
else
    fail "relabel: the array's merged output is not the single-process output"
    show_logs relabel
fi

# 2. Generate: one process, then the array, merged.
check_started=$SECONDS
if ! "$aligngen" generate --help 2>/dev/null | grep -q -- '--shard'; then
    echo "slurm: SKIP generate: this aligngen's generate has no --shard (the shardable generation job of issue 13 has not landed)"
    skipped=$((skipped + 1))
else
    "$aligngen" "${generate_args[@]}" -o "$work/generate-single.jsonl" || fail "generate: the single-process run failed"
    single_generate_s=$((SECONDS - check_started))
    check_started=$SECONDS
    if run_array generate "$work/generate" jsonl "${generate_args[@]}" \
        && "$aligngen" merge -i "$work/data/prompts.jsonl" -o "$work/generate-merged.jsonl" $(parts "$work/generate" jsonl) \
        && same_but_time "$work/generate-single.jsonl" "$work/generate-merged.jsonl"; then
        pass "generate: sbatch --array=0-3 --wait with --shard auto, merged = one process byte for byte but wall times ($(wc -l <"$work/generate-merged.jsonl") prompts; one process ${single_generate_s} s)"
    else
        fail "generate: the array's merged output is not the single-process output"
        show_logs generate
    fi
fi

# 3. Rerunning the finished relabel array changes nothing.
check_started=$SECONDS
before=$(cat $(parts "$work/relabel" jsonl) | sha256sum)
if run_array relabel-again "$work/relabel" jsonl "${relabel_args[@]}" && [[ "$(cat $(parts "$work/relabel" jsonl) | sha256sum)" == "$before" ]] \
    && [[ $(grep -l "^relabeled 0 rows" "$work"/logs/relabel-again-*.out | wc -l) -eq 4 ]]; then
    pass "relabel: rerunning the finished array is a no-op (every task: 0 rows scored, outputs unchanged)"
else
    fail "relabel: rerunning the finished array changed its outputs"
    show_logs relabel-again
fi

# 4. One task cancelled midway (scancel: SIGTERM, then SIGKILL), requeued, resumed; the merge is still exact. On more
# rows than the arrays above (all 4,000 samples by default): a 200-row shard of this small reward model could finish
# between the first batch being seen and the SIGTERM arriving on a quiet machine.
check_started=$SECONDS
head -n "${SLURM_TEST_CANCEL_ROWS:-4000}" "$shared/data/story-samples.jsonl" >"$work/data/samples-cancel.jsonl"
cancel_args=(relabel -i "$work/data/samples-cancel.jsonl" -r "$shared/models/rm-llama-seqcls" --batch-size 4 --quiet)
"$aligngen" "${cancel_args[@]}" -o "$work/cancel-single.jsonl" || fail "relabel: the single-process run for the cancel check failed"
job=$(submit cancel "$work/cancel" jsonl "${cancel_args[@]}")
victim="$work/cancel/part-2.jsonl"
# A running job appends each batch to its checkpoint; the output itself appears, complete, only when the job finishes.
victim_progress="$victim.checkpoint.jsonl"
shard_rows=$(( ($(wc -l <"$work/data/samples-cancel.jsonl") - 2 + 3) / 4 ))
waited=0
while [[ $(cat "$victim_progress" 2>/dev/null | wc -l) -lt 8 && $waited -lt 600 ]]; do sleep 0.2; waited=$((waited + 1)); done
scancel "${job}_2"
while squeue -h -j "${job}_2" -t RUNNING,COMPLETING 2>/dev/null | grep -q .; do sleep 0.2; done
kept=$(wc -l <"$victim_progress" 2>/dev/null || echo 0)
[[ -e "$victim" ]] && kept=$shard_rows   # a cancelled task must leave no output: count it as not stopped
state=$(scontrol show job "${job}_2" 2>/dev/null | grep -o 'JobState=[A-Z]*' | head -n1)
if requeue "${job}_2" && wait_rerun "${job}_2" 900 && wait_gone "$job" 900 \
    && "$aligngen" merge -i "$work/data/samples-cancel.jsonl" -o "$work/cancel-merged.jsonl" $(parts "$work/cancel" jsonl) \
    && same "$work/cancel-single.jsonl" "$work/cancel-merged.jsonl" \
    && [[ $kept -ge 1 && $kept -lt $shard_rows ]] \
    && grep -q "terminated (SIGTERM)" "$work"/logs/cancel-*_2.out && grep -q "restart 1" "$work"/logs/cancel-*_2.out; then
    pass "relabel: task 2 cancelled at $kept of $shard_rows rows ($state), requeued, resumed; merged = one process byte for byte"
else
    fail "relabel: cancel + requeue (task 2 kept $kept of $shard_rows rows, $state)"
    cat "$work/requeue.err" 2>/dev/null
    scontrol show job "${job}_2" 2>&1 | grep -o 'JobState=[^ ]*\|Reason=[^ ]*\|Restarts=[^ ]*\|StartTime=[^ ]*' | tr '\n' ' '
    echo
    show_logs cancel
fi

echo "slurm: done in $((SECONDS - started)) s"
echo "SLURM passed=$passed failed=$failed skipped=$skipped"
[[ $failed -eq 0 ]]
