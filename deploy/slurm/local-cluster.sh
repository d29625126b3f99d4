#!/usr/bin/env bash
# A one-node Slurm cluster on this machine (munge, slurmctld, slurmd; one partition of its CPUs) that runs
# simgen.sbatch as an array job, the way a real cluster would. Everything it starts is private to WORK: its
# own munge key and socket, free ports, its own spool and state, so it sits beside any other Slurm.
#
#   deploy/slurm/local-cluster.sh run WORK [TASKS]   up, a TASKS-task array (default 4), re-submit failed tasks
#                                                    by index once, merge + verify, count rows with DuckDB, down
#   deploy/slurm/local-cluster.sh up WORK            install (Debian slurm-wlm + munge, as root) and start
#   deploy/slurm/local-cluster.sh submit WORK ARRAY [TASKS]  sbatch --array=ARRAY simgen.sbatch, wait; prints
#                                                    "failed: i j" (the array indexes to re-submit), exit 1 if any
#   deploy/slurm/local-cluster.sh merge WORK         distdepth dataset merge WORK/out/part-* (refuses an incomplete set)
#   deploy/slurm/local-cluster.sh down WORK          stop what `up` started
#
# Job settings (environment): SCENES (default procedural:TASKS, one scene per task), SEQUENCES_PER_SCENE (2),
# FRAMES (3), and DISTDEPTH, the command to run (default: the built src/Cli, via dotnet).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cmd="${1:?usage: local-cluster.sh run|up|submit|merge|down WORK ...}"
WORK="$(mkdir -p "${2:?give a work folder}" && cd "$2" && pwd)"
CONF="$WORK/etc/slurm.conf"
export SLURM_CONF="$CONF"

install_packages() {
  command -v slurmctld >/dev/null && command -v munged >/dev/null && return
  [ "$(id -u)" = 0 ] || { echo "local-cluster: slurm-wlm and munge are not installed and this is not root" >&2; exit 2; }
  echo "local-cluster: installing Debian packages: slurm-wlm munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

free_port() {
  local port
  for port in $(shuf -i 20000-59999 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "local-cluster: no free port found" >&2; exit 1
}

up() {
  install_packages
  mkdir -p "$WORK"/{etc,munge,spool/ctld,spool/d,log,logs,bin,out}
  chmod 700 "$WORK/munge"
  [ -f "$WORK/munge/munge.key" ] || mungekey --create --keyfile="$WORK/munge/munge.key"
  munged --socket="$WORK/munge/munge.socket" --key-file="$WORK/munge/munge.key" --pid-file="$WORK/munge/munged.pid" \
    --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/munged.seed" --force
  local cpus mem
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)" # half, so slurmd never finds less than configured
  cat > "$CONF" <<EOF
ClusterName=distdepth-local
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/munge/munge.socket
StateSaveLocation=$WORK/spool/ctld
SlurmdSpoolDir=$WORK/spool/d
SlurmctldPidFile=$WORK/spool/slurmctld.pid
SlurmdPidFile=$WORK/spool/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
NodeName=local NodeAddr=127.0.0.1 NodeHostname=$(hostname) CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=local Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -f "$CONF"
  slurmd -f "$CONF" -N local
  for _ in $(seq 60); do
    sinfo -h -N -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && { echo "local-cluster: up ($cpus CPUs, partition 'local')"; return; }
    sleep 1
  done
  echo "local-cluster: the node did not come up; see $WORK/log" >&2; tail -5 "$WORK"/log/*.log >&2; exit 1
}

down() {
  local f
  for f in "$WORK/spool/slurmd.pid" "$WORK/spool/slurmctld.pid" "$WORK/munge/munged.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  echo "local-cluster: down"
}

distdepth_command() {
  if [ -n "${DISTDEPTH:-}" ]; then echo "$DISTDEPTH"; else echo "dotnet $ROOT/src/Cli/bin/Release/net10.0/distdepth.dll"; fi
}

# The jobs find `distdepth` on PATH, as on a cluster where the toolkit is installed.
write_wrapper() {
  printf '#!/bin/sh\nexec %s "$@"\n' "$(distdepth_command)" > "$WORK/bin/distdepth"
  chmod +x "$WORK/bin/distdepth"
}

submit() {
  local array="$1" tasks="$2" job state records failed=()
  write_wrapper
  # The script's #SBATCH lines ask for a GPU node; this node has CPUs only: the flags below win over them.
  job="$(cd "$WORK" && PATH="$WORK/bin:$PATH" SIM_SERVER=embedded OUT="$WORK/out" \
    SCENES="${SCENES:-procedural:$tasks}" SEQUENCES_PER_SCENE="${SEQUENCES_PER_SCENE:-2}" FRAMES="${FRAMES:-3}" WORKERS=1 \
    SHARD_COUNT="$tasks" sbatch --parsable --array="$array" --gres=none --cpus-per-task=1 --mem=1G --time=10:00 \
      --export=ALL "$ROOT/deploy/slurm/simgen.sbatch")"
  job="${job%%;*}"
  echo "local-cluster: submitted job $job, array $array"
  while squeue -h -j "$job" 2>/dev/null | grep -q .; do sleep 2; done
  # Finished tasks stay in the controller for MinJobAge: one line per task with its index and state.
  records="$(scontrol -o show job "$job")"
  while read -r line; do
    state="$(grep -o 'JobState=[A-Z_]*' <<<"$line" | cut -d= -f2)"
    idx="$(grep -o 'ArrayTaskId=[0-9]*' <<<"$line" | cut -d= -f2)"
    echo "local-cluster: task $idx $state"
    [ "$state" = COMPLETED ] || failed+=("$idx")
  done <<<"$records"
  if ((${#failed[@]})); then echo "failed: ${failed[*]}"; return 1; fi
}

merge() {
  rm -rf "$WORK/merged"
  $(distdepth_command) dataset merge "$WORK"/out/part-*/ --out "$WORK/merged" # folders only
}

count_rows() {
  [ -d "$ROOT/tools/duckdb/node_modules/@duckdb" ] || (cd "$ROOT/tools/duckdb" && npm ci --no-audit --no-fund --silent)
  node "$ROOT/tools/duckdb/read_shards.mjs" "$WORK/merged" | grep -o '"rows":[0-9]*' | cut -d: -f2
}

case "$cmd" in
  up) up ;;
  down) down ;;
  submit) submit "${3:?give the array, e.g. 0-3}" "${4:-4}" ;;
  merge) merge ;;
  run)
    tasks="${3:-4}"
    trap down EXIT
    up
    if ! out="$(submit "0-$((tasks - 1))" "$tasks")"; then
      echo "$out"
      retry="$(grep '^failed:' <<<"$out" | cut -d' ' -f2- | tr ' ' ',')"
      echo "local-cluster: re-submitting tasks $retry"
      submit "$retry" "$tasks"
    else
      echo "$out"
    fi
    merge
    echo "duckdb rows: $(count_rows)"
    ;;
  *) echo "local-cluster: unknown command '$cmd' (run, up, submit, merge, down)" >&2; exit 2 ;;
esac
