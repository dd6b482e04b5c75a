# Shell functions the benchmark scripts share: logging, the time limit, and the lifecycle of the
# service under test. Sourced by bench/*/run.sh after they have set:
#   tmp              the run's temp folder (the service runs from a copy in $tmp/app)
#   port, management_port
#   max_minutes      the time limit of the whole run
# Sets svc_pid while a service runs; stop_service is safe to call at any time.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

svc_pid=
watchdog_pid=

# Stops the service under test (and, after --max-minutes, this script, whose EXIT trap cleans up).
start_watchdog() {
    (
        end=$((SECONDS + max_minutes * 60))
        while ((SECONDS < end)); do sleep 1; done
        echo "run.sh: over --max-minutes $max_minutes, stopping" >&2
        [[ -f $tmp/service.pid ]] && kill -KILL "$(cat "$tmp/service.pid")" 2>/dev/null
        kill -TERM $$ 2>/dev/null
    ) &
    watchdog_pid=$!
}

stop_watchdog() {
    if [[ -n $watchdog_pid ]]; then kill "$watchdog_pid" 2>/dev/null || true; fi
    watchdog_pid=
}

stop_service() {
    local pid=$svc_pid i
    [[ -n $pid ]] || return 0
    svc_pid=
    rm -f "$tmp/service.pid"
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Starts the copied service with the given environment (NAME=value ...) on 127.0.0.1 and waits
# until its readiness check answers 200; the log goes to $1.
start_service() {
    local logfile=$1 deadline code
    shift
    port_in_use "$port" && die "port $port is already in use (choose another with --port)"
    port_in_use "$management_port" && die "port $management_port is already in use (choose another with --management-port)"
    # The ledger signs its checkpoints with a key PostgreSQL runs must be given; one per bench run.
    [[ -n ${ledger_signing_key:-} ]] || ledger_signing_key=$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)
    (cd "$tmp/app" && exec env TRACEMARK_LEDGER_SIGNING_KEY="$ledger_signing_key" "$@" TRACEMARK_PORT="$port" TRACEMARK_HOST=127.0.0.1 \
        TRACEMARK_MANAGEMENT_PORT="$management_port" TRACEMARK_MANAGEMENT_HOST=127.0.0.1 \
        java ${java_opts[@]+"${java_opts[@]}"} -jar quarkus-run.jar >"$logfile" 2>&1) &
    svc_pid=$!
    echo "$svc_pid" >"$tmp/service.pid"
    await_ready "$logfile" 180 0.05
}

# Polls the readiness check of the service in svc_pid on $management_port until it answers 200,
# every $3 seconds for at most $2 seconds; stops the run (with the end of the log $1) if it never does.
await_ready() {
    local logfile=$1 deadline=$((SECONDS + $2)) code
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$management_port/q/health/ready" 2>/dev/null) || true
        [[ $code == 200 ]] && return 0
        if ! kill -0 "$svc_pid" 2>/dev/null || ((SECONDS >= deadline)); then
            tail -n 40 "$logfile" >&2
            stop_service
            die "the service did not get ready (its log ends above)"
        fi
        sleep "$3"
    done
}

# The class data archive of the README's run command, made again for the copy of the build in $1 by
# the build's own training start (an archive names the jars by their absolute paths, so the build's
# own serves only its own folder). Prints the JVM option that uses it.
class_data_archive() {
    local app=$1
    (cd "$tmp" && java "$repo/trace-service/src/build/ClassDataTraining.java" "$app") >"$tmp/training.out" 2>&1 \
        || { cat "$tmp/training.out" >&2; die "the class data training start failed"; }
    [[ -s $app/app-cds.jsa ]] || die "the training start wrote no archive: $(cat "$tmp/training.out")"
    echo "-XX:SharedArchiveFile=$app/app-cds.jsa"
}

# The first rows of a results file's machine table: cores, memory, CPU, kernel, Java.
machine_rows() {
    cat <<EOT
| what | value |
| --- | --- |
| cores (nproc) | $(nproc) |
| memory | $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |
| CPU | $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo) |
| kernel | $(uname -r) |
| Java | $(java -version 2>&1 | sed -n 2p) |
EOT
}

# A Markdown table describing the machine, PostgreSQL and the service build (psql as $pg_user).
machine_table() {
    local app_jar=$1 pg_settings
    pg_settings=$(psql -X -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -At -F' ' -c "select string_agg(name || '=' || setting || coalesce(unit, ''), ', ' order by name) from pg_settings where name in ('shared_buffers','wal_level','synchronous_commit','max_wal_size','fsync')")
    machine_rows
    cat <<EOT
| PostgreSQL | $(psql -X -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -At -c 'show server_version') on $pg_host:$pg_port ($pg_settings) |
| service build | $(basename "$app_jar") built $(date -u -r "$app_jar" +'%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$app_jar" | cut -c1-12) |
| load average before the run | $(cut -d' ' -f1-3 /proc/loadavg) |
EOT
}

drop_database() {
    timeout 120 psql -X -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres \
        -c "drop database if exists $1 with (force)" >/dev/null 2>&1 || true
}

# What every run starts with, once the script has defined its cleanup function (which should call
# finish_run): the traps, the time limit, the one-run-at-a-time lock, a copy of the service in
# $tmp/app (so that a rebuild during the run changes nothing) and the machine's description in
# $tmp/machine.md.
begin_run() {
    guard_run
    cp -r "$app_dir" "$tmp/app"
    machine_table "$tmp/app/quarkus-run.jar" >"$tmp/machine.md"
}

# The traps (the script's cleanup on any exit), the time limit and the one-run-at-a-time lock.
guard_run() {
    trap cleanup EXIT
    trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM
    start_watchdog
    exec 9>"${TMPDIR:-/tmp}/tracemark-bench.lock"
    flock -n 9 || die "another benchmark run holds ${TMPDIR:-/tmp}/tracemark-bench.lock"
}

# Stops what the run started; keeps the temp folder when the run failed ($1, its exit status).
finish_run() {
    stop_service
    stop_watchdog
    if (($1 != 0)); then echo "run.sh: temp folder kept: $tmp" >&2; else rm -rf "$tmp"; fi
}

