#!/usr/bin/env bash
# A private, single-node Slurm cluster on this machine, for the scale-out tests: its own munge key and socket, its own
# ports, configuration, state and logs under one folder, daemons run as root. Nothing under /etc is changed.
#
#   bash build/slurm/cluster.sh install        installs Debian's slurm-wlm and munge when missing (root, apt)
#   bash build/slurm/cluster.sh start DIR      writes DIR/slurm.conf, starts munged, slurmctld and slurmd, waits for
#                                              the node to be idle; prints "export SLURM_CONF=DIR/slurm.conf"
#   bash build/slurm/cluster.sh stop DIR       stops the daemons started in DIR (and nothing else)
#
# Clients (sbatch, squeue, scancel, scontrol) need SLURM_CONF=DIR/slurm.conf in their environment.
# Checked on Debian 12 with slurm-wlm 22.05: ProctrackType=proctrack/linuxproc and TaskPlugin=task/none need no
# cgroups or systemd, which a container does not have.
set -euo pipefail

command=${1:-}
dir=${2:-}

need_root() {
    if [[ $(id -u) -ne 0 ]]; then echo "slurm cluster: must run as root (the daemons and apt need it)" >&2; exit 3; fi
}

install() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; then return; fi
    need_root
    command -v apt-get >/dev/null || { echo "slurm cluster: apt-get not found; install slurm-wlm and munge by hand" >&2; exit 3; }
    echo "slurm cluster: installing slurm-wlm and munge (apt)"
    # apt-get update only when the package lists cannot serve the install (they may be fresh from another set-up step).
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1; then
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
    fi
}

start() {
    need_root
    [[ -n "$dir" ]] || { echo "usage: cluster.sh start DIR" >&2; exit 2; }
    mkdir -p "$dir"/munge "$dir"/state "$dir"/spool "$dir"/log
    dir=$(cd "$dir" && pwd)
    local host cpus memory
    host=$(hostname -s)
    cpus=$(nproc)
    memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))

    # munge: a fresh key and a private socket, so a system munged (if any) is neither used nor disturbed.
    head -c 128 /dev/urandom > "$dir/munge/munge.key"
    chmod 600 "$dir/munge/munge.key"
    munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
        --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" --force

    cat > "$dir/slurm.conf" <<EOF
ClusterName=aligngen
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmctldPort=${ALIGNEDGEN_SLURMCTLD_PORT:-16817}
SlurmdPort=${ALIGNEDGEN_SLURMD_PORT:-16818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
PlugStackConfig=/dev/null
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$dir/slurm.conf"
    # -i: ignore state from an earlier run in this folder.
    slurmctld -i
    slurmd
    local waited=0
    until sinfo -h -o '%T' 2>/dev/null | grep -qx idle; do
        sleep 1
        waited=$((waited + 1))
        if [[ $waited -ge 60 ]]; then
            echo "slurm cluster: the node did not become idle in 60 s; logs in $dir/log" >&2
            stop
            exit 1
        fi
    done
    echo "export SLURM_CONF=$dir/slurm.conf"
}

stop() {
    [[ -n "$dir" ]] || { echo "usage: cluster.sh stop DIR" >&2; exit 2; }
    local pidfile
    for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
        [[ -f "$pidfile" ]] || continue
        local pid
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

case "$command" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: cluster.sh install | start DIR | stop DIR" >&2; exit 2 ;;
esac
