#!/usr/bin/env bash
# Tracemark allocation benchmark.
#
# Measures, in one run on this machine:
#   1. POST /api/batches/{id}/codes {"count":N} against the service on PostgreSQL, one new batch
#      per repetition, timed on the client (curl time_total);
#   2. the baseline: psql \copy of the same N rows (exported from an allocated batch) into an
#      identical table with the same foreign key to batch, timed on the client the same way,
#      interleaved with the API repetitions so both see the same machine noise;
#   3. start time (launch until GET /q/health/ready answers 200) and idle resident memory of the
#      service on its embedded default (H2), on a fresh data folder and on a restart.
# Prints a summary and writes bench/allocation/results.md (see --out).
#
# Needs: bash, java 17, curl, psql, awk, a PostgreSQL server on loopback that the given user can
# create databases on (trust auth), and a built service (trace-service/target/quarkus-app; this
# script never builds it). All traffic stays on the loopback interface.
#
# Usage: bench/allocation/run.sh [--runs 5] [--count 1000000] [--start-runs 5] [--warmup 1]
#        [--idle-seconds 10] [--port 18080] [--app DIR] [--out FILE] [--db tracemark_bench]
#        [--pg-host 127.0.0.1] [--pg-port 5432] [--pg-user postgres] [--max-minutes 40]
#        [--keep-db] [--keep-tmp]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

runs=5
count=1000000
start_runs=
warmup=1
idle_seconds=10
port=18080
app_dir="$repo/trace-service/target/quarkus-app"
out="$here/results.md"
db=tracemark_bench
pg_host=127.0.0.1
pg_port=5432
pg_user=postgres
max_minutes=40
keep_db=false
keep_tmp=false
alloc_timeout=300
ready_timeout=120

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

invocation="bench/allocation/run.sh${*:+ $*}"
while (($#)); do
    case $1 in
        --runs) runs=${2:?}; shift 2 ;;
        --count) count=${2:?}; shift 2 ;;
        --start-runs) start_runs=${2:?}; shift 2 ;;
        --warmup) warmup=${2:?}; shift 2 ;;
        --idle-seconds) idle_seconds=${2:?}; shift 2 ;;
        --port) port=${2:?}; shift 2 ;;
        --app) app_dir=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --db) db=${2:?}; shift 2 ;;
        --pg-host) pg_host=${2:?}; shift 2 ;;
        --pg-port) pg_port=${2:?}; shift 2 ;;
        --pg-user) pg_user=${2:?}; shift 2 ;;
        --max-minutes) max_minutes=${2:?}; shift 2 ;;
        --keep-db) keep_db=true; shift ;;
        --keep-tmp) keep_tmp=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
start_runs=${start_runs:-$runs}
for v in runs count start_runs warmup idle_seconds port pg_port max_minutes; do
    is_uint "${!v}" || die "--${v//_/-} must be a whole number"
done
((runs >= 1 && start_runs >= 1 && count >= 1)) || die "--runs, --start-runs and --count must be at least 1"
[[ $pg_host =~ ^(127\.[0-9.]+|localhost|::1)$ ]] || die "--pg-host must be a loopback address"
[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || die "--db must be a plain lower-case database name"
[[ -f $app_dir/quarkus-run.jar ]] || die "no $app_dir/quarkus-run.jar: build the service first (mvn package -DskipTests)"
for tool in java curl psql awk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# --- housekeeping: one temp folder, one service at a time, a watchdog, cleanup on any exit ----
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracemark-bench.XXXXXX")
svc_pid=
watchdog_pid=
api="http://127.0.0.1:$port"

stop_service() {
    local pid=$svc_pid
    [[ -n $pid ]] || return 0
    svc_pid=
    rm -f "$tmp/service.pid"
    kill -TERM "$pid" 2>/dev/null || return 0
    local i
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_service
    if [[ -n $watchdog_pid ]]; then kill "$watchdog_pid" 2>/dev/null || true; fi
    if [[ $keep_db == false ]]; then
        timeout 60 psql -X -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres \
            -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
    fi
    if [[ $keep_tmp == true || $rc -ne 0 ]]; then
        echo "run.sh: temp folder kept: $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

# The watchdog bounds the whole run: it stops the service under test (so a pending request
# returns) and then this script, whose trap cleans up.
(
    end=$((SECONDS + max_minutes * 60))
    while ((SECONDS < end)); do sleep 1; done
    echo "run.sh: over --max-minutes $max_minutes, stopping" >&2
    [[ -f $tmp/service.pid ]] && kill -KILL "$(cat "$tmp/service.pid")" 2>/dev/null
    kill -TERM $$ 2>/dev/null
) &
watchdog_pid=$!

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
psql_db() { timeout 900 psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" "$@"; }
sql() { psql_db -d "$db" -At -c "$1"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Median of the numbers given as arguments (mean of the two middle ones for an even count).
median() {
    (($#)) || { echo n/a; return; }
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        if (NR == 0) { print "n/a"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# GS1 check digit (mod 10, weights 3,1,3,... from the right) of a digit string.
gs1_check_digit() {
    local digits=$1 sum=0 weight=3 i
    for ((i = ${#digits} - 1; i >= 0; i--)); do
        sum=$((sum + ${digits:i:1} * weight))
        weight=$((4 - weight))
    done
    echo $(((10 - sum % 10) % 10))
}

json_id() { grep -o '"id":[0-9]*' | head -1 | cut -d: -f2; }

# POST JSON as the administrator; prints the body, fails unless the status is 201.
post() {
    local path=$1 body=$2 status
    status=$(curl -sS --max-time 60 -o "$tmp/post.out" -w '%{http_code}' -u "admin:$admin_password" \
        -H 'Content-Type: application/json' -d "$body" "$api$path") || status=000
    [[ $status == 201 ]] || die "POST $path answered $status: $(head -c 500 "$tmp/post.out")"
    cat "$tmp/post.out"
}

# Launches the copied service with the given environment; sets svc_pid and svc_launch_us.
launch_service() {
    local logfile=$1
    shift
    port_in_use "$port" && die "port $port is already in use (choose another with --port)"
    svc_launch_us=$(now_us)
    env "$@" TRACEMARK_PORT="$port" TRACEMARK_HOST=127.0.0.1 java -jar "$tmp/app/quarkus-run.jar" >"$logfile" 2>&1 &
    svc_pid=$!
    echo "$svc_pid" >"$tmp/service.pid"
}

# Polls /q/health/ready every 20 ms; prints milliseconds from launch to the first 200.
wait_ready() {
    local logfile=$1 code deadline=$((SECONDS + ready_timeout))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$api/q/health/ready" 2>/dev/null) || true
        if [[ $code == 200 ]]; then
            echo $((($(now_us) - svc_launch_us) / 1000))
            return 0
        fi
        if ! kill -0 "$svc_pid" 2>/dev/null; then
            tail -n 40 "$logfile" >&2
            die "the service exited before it was ready (log above)"
        fi
        ((SECONDS < deadline)) || { tail -n 40 "$logfile" >&2; die "not ready after ${ready_timeout}s"; }
        sleep 0.02
    done
}

rss_mib() { calc '%.0f' "$(ps -o rss= -p "$svc_pid") / 1024"; }

# --- machine ---------------------------------------------------------------------------------
started_at=$(date -u +'%Y-%m-%d %H:%M UTC')
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
java_version=$(java -version 2>&1 | sed -n 2p)
pg_version=$(psql_db -d postgres -At -c 'show server_version')
pg_settings=$(psql_db -d postgres -At -F' ' -c "select string_agg(name || '=' || setting || coalesce(unit, ''), ', ' order by name) from pg_settings where name in ('shared_buffers','wal_level','synchronous_commit','max_wal_size','fsync')")
app_jar=$(ls "$app_dir"/app/*.jar 2>/dev/null | head -1)
app_build="$(basename "${app_jar:-$app_dir/quarkus-run.jar}") built $(date -u -r "${app_jar:-$app_dir/quarkus-run.jar}" +'%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "${app_jar:-$app_dir/quarkus-run.jar}" | cut -c1-12)"
log "machine: $(nproc) cores, $mem_total, $cpu_model; PostgreSQL $pg_version"

# The build folder may be replaced while this runs: measure a copy of it.
cp -a "$app_dir" "$tmp/app"

# --- 1+2. allocation through the API on PostgreSQL, interleaved with the raw COPY baseline ----
log "PostgreSQL database $db: recreating"
psql_db -d postgres -c "drop database if exists $db with (force)" >/dev/null
psql_db -d postgres -c "create database $db" >/dev/null

admin_password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$tmp/pg-data"
launch_service "$tmp/service-pg.log" TRACEMARK_DB_URL="jdbc:postgresql://$pg_host:$pg_port/$db" \
    TRACEMARK_DB_USER="$pg_user" TRACEMARK_CODES_SECRET="$secret" TRACEMARK_ADMIN_PASSWORD="$admin_password" \
    TRACEMARK_DATA_DIR="$tmp/pg-data"
pg_start_ms=$(wait_ready "$tmp/service-pg.log")
log "service on PostgreSQL ready in ${pg_start_ms} ms (first start, schema created)"

product_id=$(post /api/products '{"gtin":"09506000134352","name":"Bench product"}' | json_id)
gln_base=950600000000
gln="$gln_base$(gs1_check_digit "$gln_base")"
site_id=$(post /api/sites "{\"gln\":\"$gln\",\"name\":\"Bench factory\",\"role\":\"factory\"}" | json_id)
line_id=$(post "/api/sites/$site_id/lines" '{"code":"L1","name":"Line 1"}' | json_id)

new_batch() {
    post /api/batches "{\"productId\":$product_id,\"lot\":\"$1\",\"productionDate\":\"2026-11-23\",\"lineId\":$line_id,\"plannedQuantity\":$count}" | json_id
}

# One allocation: sets a_status, a_seconds, a_rows, a_body (first 300 characters).
allocate() {
    local batch=$1 result
    sql 'checkpoint' >/dev/null
    result=$(curl -sS --max-time "$alloc_timeout" -o "$tmp/alloc.out" -w '%{http_code} %{time_total}' \
        -u "admin:$admin_password" -H 'Content-Type: application/json' -d "{\"count\":$count}" \
        "$api/api/batches/$batch/codes" 2>"$tmp/alloc.err") || true
    a_status=${result% *}
    a_seconds=${result#* }
    [[ -n $a_status && $a_status != "$result" ]] || { a_status=000; a_seconds=$alloc_timeout; }
    a_body=$(head -c 300 "$tmp/alloc.out" 2>/dev/null | tr -d '\n|' || true)
    [[ -n $a_body ]] || a_body=$(head -c 300 "$tmp/alloc.err" | tr -d '\n|')
    a_rows=$(sql "select count(*) from code where batch_id = $batch" 2>/dev/null) || a_rows='?'
}

# One baseline COPY of the exported rows into the empty copy table: sets c_seconds, c_rows.
copy_baseline() {
    local t0 t1 output
    sql 'truncate code_copy' >/dev/null
    sql 'checkpoint' >/dev/null
    t0=$(now_us)
    output=$(timeout 900 psql -X -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" \
        -c "\\copy code_copy from '$tmp/rows.tsv'")
    t1=$(now_us)
    c_seconds=$(calc '%.3f' "($t1 - $t0) / 1000000")
    c_rows=${output#COPY }
}

# The baseline table: same columns, keys, index and foreign key as the registry's code table.
sql 'create table code_copy (like code including all)' >/dev/null
sql 'alter table code_copy add foreign key (batch_id) references batch (id)' >/dev/null

export_rows() {
    psql_db -d "$db" -c "\\copy (select * from code where batch_id = $1 order by counter) to '$tmp/rows.tsv'" >/dev/null
}

warm_rows=()
for ((w = 1; w <= warmup; w++)); do
    batch=$(new_batch "WARMUP-$w")
    allocate "$batch"
    log "warm-up $w: batch $batch, status $a_status, ${a_seconds}s, $a_rows rows"
    warm_rows+=("| warm-up $w | $batch | $a_status | $a_seconds | $a_rows | $(loadavg) |")
    if [[ ! -f $tmp/rows.tsv && $a_status == 201 && $a_rows == "$count" ]]; then export_rows "$batch"; fi
done

baseline_source="the rows of an allocated batch"
if [[ ! -f $tmp/rows.tsv ]]; then
    # No allocation has succeeded yet: export the rows of the first run instead, or, failing that,
    # synthesise rows of the same shape so the baseline still has a figure.
    synth_batch=$(new_batch "BASELINE")
    sql "insert into code_copy select 9000000000000 + g, substr(md5(g::text), 1, 18), $synth_batch, 'ALLOCATED', now() from generate_series(1, $count) g" >/dev/null
    psql_db -d "$db" -c "\\copy (select * from code_copy order by counter) to '$tmp/rows.tsv'" >/dev/null
    baseline_source="synthetic rows of the same shape (no allocation had succeeded before the baseline)"
fi
[[ -n $(head -c 1 "$tmp/rows.tsv") ]] || die "the baseline file is empty"
copy_baseline # untimed warm-up of the baseline: file in the page cache, plans and catalogs warm
log "baseline warm-up: ${c_seconds}s, $c_rows rows ($baseline_source)"

run_rows=()
api_rates=()
api_secs=()
copy_rates=()
copy_secs=()
ratios=()
failures=0
for ((r = 1; r <= runs; r++)); do
    batch=$(new_batch "RUN-$r")
    load=$(loadavg)
    allocate "$batch"
    copy_baseline
    c_rate=$(calc '%.0f' "$count / $c_seconds")
    copy_rates+=("$c_rate")
    copy_secs+=("$c_seconds")
    if [[ $a_status == 201 && $a_rows == "$count" ]]; then
        a_rate=$(calc '%.0f' "$count / $a_seconds")
        ratio=$(calc '%.3f' "$a_rate / $c_rate")
        api_rates+=("$a_rate")
        api_secs+=("$a_seconds")
        ratios+=("$ratio")
        note=
    else
        failures=$((failures + 1))
        a_rate=failed
        ratio=-
        note="answer: \`$a_body\`"
    fi
    log "run $r: API $a_status in ${a_seconds}s ($a_rate codes/s, $a_rows rows); COPY ${c_seconds}s ($c_rate codes/s); ratio $ratio"
    run_rows+=("| $r | $batch | $a_status | $a_seconds | $a_rows | $a_rate | $c_seconds | $c_rate | $ratio | $load | $note")
done
pg_idle_rss=$(rss_mib)
stop_service
code_rows_total=$(sql 'select count(*) from code')

# --- 3. start time and idle memory on the embedded default ------------------------------------
start_rows=()
first_ms=()
first_rss=()
restart_ms=()
restart_rss=()
for ((s = 1; s <= start_runs; s++)); do
    data="$tmp/h2-$s"
    mkdir -p "$data"
    launch_service "$tmp/service-h2-$s.log" TRACEMARK_DATA_DIR="$data"
    ms1=$(wait_ready "$tmp/service-h2-$s.log")
    sleep "$idle_seconds"
    rss1=$(rss_mib)
    grep -q 'administrator .* created with password' "$tmp/service-h2-$s.log" \
        || log "warning: no generated administrator password on the first start's stdout"
    stop_service
    launch_service "$tmp/service-h2-$s-restart.log" TRACEMARK_DATA_DIR="$data"
    ms2=$(wait_ready "$tmp/service-h2-$s-restart.log")
    sleep "$idle_seconds"
    rss2=$(rss_mib)
    stop_service
    first_ms+=("$ms1")
    first_rss+=("$rss1")
    restart_ms+=("$ms2")
    restart_rss+=("$rss2")
    log "embedded start $s: first start ${ms1} ms, idle ${rss1} MiB; restart ${ms2} ms, idle ${rss2} MiB"
    start_rows+=("| $s | $ms1 | $rss1 | $ms2 | $rss2 |")
done

# --- summary and results file ------------------------------------------------------------------
m_api_rate=$(median "${api_rates[@]}")
m_api_secs=$(median "${api_secs[@]}")
m_copy_rate=$(median "${copy_rates[@]}")
m_copy_secs=$(median "${copy_secs[@]}")
m_ratio=$(median "${ratios[@]}")
m_first_ms=$(median "${first_ms[@]}")
m_first_rss=$(median "${first_rss[@]}")
m_restart_ms=$(median "${restart_ms[@]}")
m_restart_rss=$(median "${restart_rss[@]}")
range() { printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | paste -sd'-' | sed 's/-/ to /'; }

if ((${#api_rates[@]})); then
    ratio_of_medians=$(calc '%.3f' "$m_api_rate / $m_copy_rate")
    verdict_time=$(awk -v s="$m_api_secs" 'BEGIN { print (s < 5) ? "meets" : "misses" }')
    verdict_ratio=$(awk -v q="$m_ratio" 'BEGIN { print (q >= 0.5) ? "meets" : "misses" }')
    alloc_reading="The median allocation of $count codes took ${m_api_secs} s (${m_api_rate} codes/s; runs ranged $(range "${api_secs[@]}") s), which $verdict_time the 5 s aim, and ran at ${m_ratio} of the raw COPY rate measured in the same runs (median of the per-run ratios; ratio of the medians ${ratio_of_medians}), which $verdict_ratio the aim of at least 0.5."
else
    ratio_of_medians=n/a
    alloc_reading="No allocation through the API succeeded ($failures of $runs runs failed; their answers are in the table), so the allocation aims (the million under 5 s, at least half the raw COPY rate of ${m_copy_rate} codes/s) cannot be judged."
fi
((failures == 0 || ${#api_rates[@]} == 0)) && fail_note= || fail_note=" $failures of $runs runs failed and are left out of the medians."
verdict_start=$(awk -v a="$m_first_ms" -v b="$m_restart_ms" 'BEGIN {
    if (a < 3000 && b < 3000) print "both meet"; else if (b < 3000) print "only the restart meets"; else print "neither meets" }')
verdict_rss=$(awk -v a="$m_first_rss" -v b="$m_restart_rss" 'BEGIN {
    if (a < 300 && b < 300) print "both under"; else if (a >= 300 && b >= 300) print "both over"; else print "not both under" }')

summary=$(
    cat <<EOF
Allocation of $count codes on PostgreSQL, $runs runs (medians):
  API     ${m_api_secs} s  ${m_api_rate} codes/s${fail_note}
  COPY    ${m_copy_secs} s  ${m_copy_rate} codes/s
  ratio   ${m_ratio} (median of per-run ratios), ${ratio_of_medians} (ratio of medians)
Embedded default (H2), $start_runs starts (medians):
  first start ${m_first_ms} ms, idle RSS ${m_first_rss} MiB
  restart     ${m_restart_ms} ms, idle RSS ${m_restart_rss} MiB
EOF
)

mkdir -p "$(dirname "$out")"
{
    cat <<EOF
# Tracemark allocation benchmark: results

Produced by \`$invocation\` (from the repository root), started $started_at.
Every figure below comes from that one run; rerun the command to refresh this file.

## Machine

| what | value |
| --- | --- |
| cores (nproc) | $(nproc) |
| memory | $mem_total |
| CPU | $cpu_model |
| kernel | $(uname -r) |
| Java | $java_version |
| PostgreSQL | $pg_version on $pg_host:$pg_port ($pg_settings) |
| service build | $app_build |

The machine is shared: other work may run at the same time, so single runs are noisy. Read the
medians and the ratio (API and COPY runs are interleaved, so both see the same conditions); the
1-minute load average before each run is in the table.

## Allocation of $count codes on PostgreSQL

Each run creates a new batch, then times \`POST /api/batches/{id}/codes {"count":$count}\` on the
client (curl \`time_total\`; the service runs with its defaults and the variables of the README,
listening on 127.0.0.1), checks the answer is 201 and that $count rows of that batch are in
\`code\`. Right after it, the baseline times \`psql -c '\\copy code_copy from FILE'\` of $count
rows of an allocated batch ($baseline_source) into \`code_copy\`, created
\`like code including all\` plus the same foreign key to \`batch\`, truncated before each run.
A \`CHECKPOINT\` precedes every timed operation. Warm-up runs ($warmup through the API, 1 COPY)
are not in the medians. The \`code\` table keeps every allocated batch ($code_rows_total rows at
the end), while \`code_copy\` starts empty each time.

| run | batch | status | API s | rows | API codes/s | COPY s | COPY codes/s | API/COPY | load | |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
    printf '%s\n' "${run_rows[@]}"
    cat <<EOF

| warm-up | batch | status | API s | rows | load |
| --- | --- | --- | --- | --- | --- |
EOF
    ((${#warm_rows[@]})) && printf '%s\n' "${warm_rows[@]}"
    cat <<EOF

| median of $runs runs | seconds | codes/s |
| --- | --- | --- |
| API allocation | ${m_api_secs} | ${m_api_rate} |
| raw COPY | ${m_copy_secs} | ${m_copy_rate} |
| **API / COPY** | | **${m_ratio}** (median of per-run ratios; ratio of medians ${ratio_of_medians}) |
${fail_note:+
$fail_note
}
For information: the service's first start on PostgreSQL (schema created by Flyway) took
${pg_start_ms} ms and it held ${pg_idle_rss} MiB resident after the runs.

## Start time and idle memory on the embedded default (H2)

\`java -jar quarkus-run.jar\` with no JVM options, only \`TRACEMARK_DATA_DIR\` (a fresh folder),
\`TRACEMARK_PORT\` and \`TRACEMARK_HOST=127.0.0.1\` set. Start time is from launching the process
until \`GET /q/health/ready\` first answers 200 (polled every 20 ms). Idle RSS is
\`ps -o rss=\` ${idle_seconds} s after ready, with no load. The first start creates the
database, the serial key and the administrator; the restart reuses that folder.

| start | first start ms | idle RSS MiB | restart ms | idle RSS MiB |
| --- | --- | --- | --- | --- |
EOF
    printf '%s\n' "${start_rows[@]}"
    cat <<EOF
| **median** | **${m_first_ms}** | **${m_first_rss}** | **${m_restart_ms}** | **${m_restart_rss}** |

## Reading against the aims

$alloc_reading$fail_note Start on the embedded default took ${m_first_ms} ms on a fresh folder and
${m_restart_ms} ms on a restart (medians of $start_runs; ranges $(range "${first_ms[@]}") and
$(range "${restart_ms[@]}") ms): $verdict_start the 3 s aim. Idle resident memory was
${m_first_rss} MiB after a first start and ${m_restart_rss} MiB after a restart (ranges
$(range "${first_rss[@]}") and $(range "${restart_rss[@]}") MiB), $verdict_rss the 300 MB aim
(the JVM runs with its defaults on this ${mem_total} machine, so the heap it may grow to is a
quarter of that). Timings are client-side wall clock on a shared 2-core machine, with the
service, PostgreSQL and the client competing for the same cores.
EOF
} >"$out.tmp"
mv "$out.tmp" "$out"

echo "$summary"
echo "Results written to $out"
