#!/usr/bin/env bash
# Tracemark start benchmark: how long the embedded default takes to start, and what it holds at idle.
#
# Measures, in one run on this machine, interleaved round by round so that every variant sees the
# same machine noise:
#   - before: a build of an earlier commit (--baseline-app), started as its README ran it;
#   - no flags: this build started with a bare `java -jar quarkus-run.jar`;
#   - README: this build started as the README runs it, with the class data archive that the build
#     writes (made again here for the copy under test, by the same training start);
#   - with --c1-only: the README's command plus -XX:TieredStopAtLevel=1, for comparison;
#   - with --java25-home: the same build on Java 25, bare and with an AOT cache (JEP 483/514/515)
#     made by the same training start.
# Each variant, each round: a first start on a fresh data folder (database, keys and administrator
# created), then a restart on that folder. Ready = launch until GET /q/health/ready on the
# management port first answers 200 (polled every 20 ms); CPU = user + system seconds of the JVM by
# then, split into the main thread, the JIT compiler threads, GC threads and the rest; idle RSS =
# resident memory --idle-seconds after ready.
#
# Needs: bash, java 17 on the PATH, curl, awk, a built service (trace-service/target/quarkus-app;
# this script never builds). Everything runs on 127.0.0.1; no database server is used.
#
# Usage: bench/start/run.sh [--runs 5] [--app DIR] [--baseline-app DIR] [--baseline-label TEXT]
#        [--c1-only] [--java25-home DIR] [--idle-seconds 10] [--port 18090] [--management-port 19090]
#        [--out FILE] [--max-minutes 60]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

runs=5
app_dir="$repo/trace-service/target/quarkus-app"
baseline_dir=
baseline_label=
c1_only=false
java25_home=
idle_seconds=10
port=18090
management_port=19090
out="$here/results.md"
max_minutes=60
ready_timeout=180

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

invocation="bench/start/run.sh${*:+ $*}"
while (($#)); do
    case $1 in
        --runs) runs=${2:?}; shift 2 ;;
        --app) app_dir=${2:?}; shift 2 ;;
        --baseline-app) baseline_dir=${2:?}; shift 2 ;;
        --baseline-label) baseline_label=${2:?}; shift 2 ;;
        --c1-only) c1_only=true; shift ;;
        --java25-home) java25_home=${2:?}; shift 2 ;;
        --idle-seconds) idle_seconds=${2:?}; shift 2 ;;
        --port) port=${2:?}; shift 2 ;;
        --management-port) management_port=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --max-minutes) max_minutes=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
for v in runs idle_seconds port management_port max_minutes; do
    is_uint "${!v}" || die "--${v//_/-} must be a whole number"
done
((runs >= 1)) || die "--runs must be at least 1"
[[ -f $app_dir/quarkus-run.jar ]] || die "no $app_dir/quarkus-run.jar: build the service first (mvn package -DskipTests)"
[[ -z $baseline_dir || -f $baseline_dir/quarkus-run.jar ]] || die "no $baseline_dir/quarkus-run.jar"
[[ -z $java25_home || -x $java25_home/bin/java ]] || die "no $java25_home/bin/java"
for tool in java curl awk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracemark-bench-start.XXXXXX")
svc_pid=

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    finish_run "$rc"
    exit "$rc"
}
guard_run

loadavg() { cut -d' ' -f1 /proc/loadavg; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() {
    (($#)) || { echo n/a; return; }
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
range() {
    printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | paste -sd' ' - | awk '{ print ($2 == "" || $1 == $2) ? $1 : $1 "–" $2 }'
}
clk_tck=$(getconf CLK_TCK)

# --- what is measured: copies of the builds, with their archives made for the copies ---------
started_at=$(date -u +'%Y-%m-%d %H:%M UTC')
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | sed -n 2p)"

# cp -a keeps the jars' modification times, which an archive checks.
cp -a "$app_dir" "$tmp/app"
app_jar=$(ls "$tmp/app"/app/*.jar | head -1)
app_build="$(basename "$app_jar") built $(date -u -r "$app_jar" +'%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$app_jar" | cut -c1-12)"
log "class data archive for the copy under test: training start"
t0=$(now_us)
readme_opts=$(class_data_archive "$tmp/app")
training_s=$(calc '%.1f' "($(now_us) - $t0) / 1000000")
archive_mb=$(($(stat -c %s "$tmp/app/app-cds.jsa") >> 20))
log "archive: ${archive_mb} MB in ${training_s} s"

# Variants: label | java | app folder | JVM options
variants=()
if [[ -n $baseline_dir ]]; then
    cp -a "$baseline_dir" "$tmp/base"
    base_jar=$(ls "$tmp/base"/app/*.jar | head -1)
    base_build="$(basename "$base_jar") built $(date -u -r "$base_jar" +'%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$base_jar" | cut -c1-12)"
    variants+=("before|java|$tmp/base|")
fi
variants+=("no flags|java|$tmp/app|")
variants+=("README|java|$tmp/app|$readme_opts")
if [[ $c1_only == true ]]; then
    variants+=("README + C1 only|java|$tmp/app|$readme_opts -XX:TieredStopAtLevel=1")
fi
if [[ -n $java25_home ]]; then
    java25_version=$("$java25_home/bin/java" -version 2>&1 | sed -n 2p)
    cp -a "$app_dir" "$tmp/app25"
    log "AOT cache for Java 25: training start"
    t0=$(now_us)
    (cd "$tmp" && "$java25_home/bin/java" "$repo/trace-service/src/build/ClassDataTraining.java" "$tmp/app25" --aot) >"$tmp/training25.out" 2>&1 \
        || { cat "$tmp/training25.out" >&2; die "the Java 25 training start failed"; }
    training25_s=$(calc '%.1f' "($(now_us) - $t0) / 1000000")
    [[ -s $tmp/app25/app.aot ]] || die "the Java 25 training start wrote no AOT cache: $(cat "$tmp/training25.out")"
    aot_mb=$(($(stat -c %s "$tmp/app25/app.aot") >> 20))
    log "AOT cache: ${aot_mb} MB in ${training25_s} s"
    variants+=("Java 25, no flags|$java25_home/bin/java|$tmp/app25|")
    variants+=("Java 25 + AOT cache|$java25_home/bin/java|$tmp/app25|-XX:AOTCache=$tmp/app25/app.aot")
fi

# --- one start ---------------------------------------------------------------------------------
# CPU seconds of the JVM's threads, by kind: main thread, JIT compilers, GC, everything else.
thread_cpu() {
    local pid=$1 task
    for task in /proc/"$pid"/task/*; do
        awk -v hz="$clk_tck" -v name="$(cat "$task/comm" 2>/dev/null)" \
            '{ sub(/^.*\) /, ""); printf "%s\t%.2f\n", name, ($12 + $13) / hz }' "$task/stat" 2>/dev/null || true
    done | awk -F'\t' '
        $1 == "java" { main += $2; next }
        $1 ~ /^C[12] CompilerThre/ { jit += $2; next }
        $1 ~ /^(GC Thread|G1 )/ { gc += $2; next }
        { other += $2 }
        END { printf "%.2f %.2f %.2f %.2f\n", main, jit, gc, other }'
}

# Starts one variant on a data folder and sets: ready_ms, cpu_s, main_s, jit_s, gc_s, other_s, rss_mib.
start_once() {
    local java=$1 dir=$2 opts=$3 data=$4 logfile=$5 launch
    port_in_use "$port" && die "port $port is already in use (another run? choose another with --port)"
    port_in_use "$management_port" && die "port $management_port is already in use (choose another with --management-port)"
    launch=$(now_us)
    # shellcheck disable=SC2086 # the options are words
    # Whatever the shell sets for Tracemark stays out: every variant runs on its embedded default.
    (cd "$dir" && for v in $(compgen -e | grep -E '^(TRACEMARK|QUARKUS)_' || true); do unset "$v"; done &&
        exec env TRACEMARK_DATA_DIR="$data" TRACEMARK_PORT="$port" TRACEMARK_HOST=127.0.0.1 \
        TRACEMARK_MANAGEMENT_PORT="$management_port" TRACEMARK_MANAGEMENT_HOST=127.0.0.1 \
        "$java" $opts -jar quarkus-run.jar >"$logfile" 2>&1) &
    svc_pid=$!
    echo "$svc_pid" >"$tmp/service.pid"
    await_ready "$logfile" "$ready_timeout" 0.02
    ready_ms=$((($(now_us) - launch) / 1000))
    cpu_s=$(awk -v hz="$clk_tck" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$svc_pid/stat")
    read -r main_s jit_s gc_s other_s < <(thread_cpu "$svc_pid")
    sleep "$idle_seconds"
    rss_mib=$(($(ps -o rss= -p "$svc_pid") / 1024))
    stop_service
}

# --- the rounds --------------------------------------------------------------------------------
declare -A first_ms first_cpu first_rss restart_ms restart_cpu restart_rss first_jit restart_jit first_main restart_main
rows=()
loads=()
n=${#variants[@]}
for ((r = 1; r <= runs; r++)); do
    for ((k = 0; k < n; k++)); do
        # Each round starts with another variant, so that none is always first after an idle pause.
        IFS='|' read -r label java dir opts <<<"${variants[$(((k + r - 1) % n))]}"
        data="$tmp/data-$r-$k"
        load=$(loadavg)
        loads+=("$load")
        start_once "$java" "$dir" "$opts" "$data" "$tmp/$r-$k-first.log"
        grep -q "administrator 'admin' created with password" "$tmp/$r-$k-first.log" \
            || log "warning: $label: the first start printed no generated administrator password"
        f=("$ready_ms" "$cpu_s" "$main_s" "$jit_s" "$rss_mib")
        start_once "$java" "$dir" "$opts" "$data" "$tmp/$r-$k-restart.log"
        s=("$ready_ms" "$cpu_s" "$main_s" "$jit_s" "$rss_mib")
        first_ms[$label]+="${f[0]} "; first_cpu[$label]+="${f[1]} "; first_main[$label]+="${f[2]} "
        first_jit[$label]+="${f[3]} "; first_rss[$label]+="${f[4]} "
        restart_ms[$label]+="${s[0]} "; restart_cpu[$label]+="${s[1]} "; restart_main[$label]+="${s[2]} "
        restart_jit[$label]+="${s[3]} "; restart_rss[$label]+="${s[4]} "
        rows+=("| $r | $label | ${f[0]} | ${f[1]} | ${f[2]} | ${f[3]} | ${f[4]} | ${s[0]} | ${s[1]} | ${s[2]} | ${s[3]} | ${s[4]} | $load |")
        log "round $r, $label: first start ${f[0]} ms (${f[1]} s CPU, JIT ${f[3]}), idle ${f[4]} MiB;" \
            "restart ${s[0]} ms (${s[1]} s CPU, JIT ${s[3]}), idle ${s[4]} MiB"
        rm -rf "$data"
    done
done

# --- results -----------------------------------------------------------------------------------
# shellcheck disable=SC2086 # lists of numbers
med() { median $1; }
summary_rows=()
for variant in "${variants[@]}"; do
    IFS='|' read -r label _ _ opts <<<"$variant"
    summary_rows+=("| $label | **$(med "${first_ms[$label]}")** | $(med "${first_cpu[$label]}") | $(med "${first_main[$label]}") | $(med "${first_jit[$label]}") | $(med "${first_rss[$label]}") | **$(med "${restart_ms[$label]}")** | $(med "${restart_cpu[$label]}") | $(med "${restart_main[$label]}") | $(med "${restart_jit[$label]}") | $(med "${restart_rss[$label]}") |")
    range_rows+=("| $label | $(range ${first_ms[$label]}) | $(range ${restart_ms[$label]}) | $(range ${first_rss[$label]}) | $(range ${restart_rss[$label]}) |")
done
ratio_line=
if [[ -n $baseline_dir ]]; then
    ratio_line="Against before, medians: README first start $(calc '%.2f' "$(med "${first_ms[README]}") / $(med "${first_ms[before]}")")×, restart $(calc '%.2f' "$(med "${restart_ms[README]}") / $(med "${restart_ms[before]}")")×; CPU $(calc '%.2f' "$(med "${first_cpu[README]}") / $(med "${first_cpu[before]}")")× and $(calc '%.2f' "$(med "${restart_cpu[README]}") / $(med "${restart_cpu[before]}")")×."
fi

mkdir -p "$(dirname "$out")"
{
    cat <<EOF
# Tracemark start benchmark: results

Produced by \`$invocation\` (run from the repository root), started $started_at,
finished $(date -u +'%H:%M UTC'). Every figure below comes from that one run.

## Machine

EOF
    machine_rows
    [[ -z $java25_home ]] || echo "| Java 25 | $java25_version |"
    echo "| service build | $app_build |"
    [[ -z $baseline_dir ]] || echo "| before | ${baseline_label:+$baseline_label: }$base_build |"
    echo "| class data archive | ${archive_mb} MB, written by a training start of ${training_s} s |"
    [[ -z $java25_home ]] || echo "| Java 25 AOT cache | ${aot_mb} MB, written by a training start of ${training25_s} s |"
    echo "| load average before the run | $(cut -d' ' -f1-3 /proc/loadavg) |"
    cat <<EOF

The machine is shared: other builds may run at the same time, so single starts are noisy. Read the
medians; the variants are interleaved round by round (each round starting with another), so all
see the same conditions, and the 1-minute load average before each is in the table. CPU seconds
move less with the load than the wall clock does.

## Method

Each variant runs from a copy of its build, with only \`TRACEMARK_DATA_DIR\`, \`TRACEMARK_PORT\`,
\`TRACEMARK_HOST=127.0.0.1\` and the management port (on 127.0.0.1) set. Ready is the time from
launch until \`GET /q/health/ready\` on the management port first answers 200 (polled every 20 ms).
CPU s is the user plus system time of the JVM by then (\`/proc/PID/stat\`), split by thread:
*main* the thread that runs Quarkus' start, *JIT* the C1 and C2 compiler threads. Idle RSS is
\`ps -o rss=\` ${idle_seconds} s after ready. A first start uses a fresh data folder (it creates the
database, the serial, session, secrets and ledger keys and the administrator); the restart reuses it.

| variant | java | JVM options |
| --- | --- | --- |
EOF
    for variant in "${variants[@]}"; do
        IFS='|' read -r label java _ opts <<<"$variant"
        opts=${opts//$tmp\//}
        echo "| $label | \`${java/#$java25_home/JAVA25_HOME}\` | ${opts:+\`$opts\`}${opts:-none} |"
    done
    cat <<EOF

## Medians of $runs rounds

| variant | first start ms | CPU s | main s | JIT s | idle RSS MiB | restart ms | CPU s | main s | JIT s | idle RSS MiB |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
    printf '%s\n' "${summary_rows[@]}"
    cat <<EOF

| variant | first start range ms | restart range ms | first start RSS range | restart RSS range |
| --- | --- | --- | --- | --- |
EOF
    printf '%s\n' "${range_rows[@]}"
    [[ -z $ratio_line ]] || printf '\n%s\n' "$ratio_line"
    cat <<EOF

## Every start

| round | variant | first ms | CPU s | main s | JIT s | RSS MiB | restart ms | CPU s | main s | JIT s | RSS MiB | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOF
    printf '%s\n' "${rows[@]}"
    printf '\nLoad averages before the starts: %s.\n' "$(range "${loads[@]}")"
} >"$out.tmp"
mv "$out.tmp" "$out"

for variant in "${variants[@]}"; do
    IFS='|' read -r label _ _ _ <<<"$variant"
    printf '%-22s first start %6s ms (%s s CPU), restart %6s ms (%s s CPU), idle %s / %s MiB\n' "$label" \
        "$(med "${first_ms[$label]}")" "$(med "${first_cpu[$label]}")" "$(med "${restart_ms[$label]}")" \
        "$(med "${restart_cpu[$label]}")" "$(med "${first_rss[$label]}")" "$(med "${restart_rss[$label]}")"
done
echo "Results written to $out"
