#!/usr/bin/env bash
# Tracemark scan benchmark.
#
# Measures, on the database a kept ledger benchmark run filled (1,000,000 items with their whole
# journeys; run `bench/ledger/run.sh --keep-db` first), with wrk on the same machine:
#   page  GET /01/{gtin}/21/{serial} asking for HTML: the consumer's scan page (scan recorded)
#   json  the same path asking for JSON: what an app gets (scan recorded)
#   bare  GET /api/codes/{serial}: an endpoint of the same service doing one indexed PostgreSQL read
# each at every --clients level, interleaved, for --seconds after a warm-up; random codes of the
# kept sample. The rate limit of the public endpoints is switched off for the run (one address
# stands for thousands of phones). Writes bench/scan/results.md (see --out).
#
# Needs: bash, java 17, curl, psql, wrk (Debian package wrk), the built service
# (trace-service/target/quarkus-app) and bench/ledger/target/kept-ledger from a kept ledger run.
#
# Usage: bench/scan/run.sh [--clients 50,200] [--seconds 30] [--warmup-seconds 20] [--threads 2]
#        [--port 18080] [--management-port 19080] [--app DIR] [--out FILE] [--pg-host 127.0.0.1]
#        [--pg-port 5432] [--pg-user postgres] [--max-minutes 20] [--drop-db]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

clients=50,200
seconds=30
# A fresh service on a cold ledger (11 GB at 1,000,000 items) speeds up for tens of seconds: with 5 s
# of warm-up the first mode measured its own warm-up (bare 681 requests/s, then 1,000).
warmup_seconds=20
threads=2
port=18080
management_port=19080
app_dir="$repo/trace-service/target/quarkus-app"
out="$here/results.md"
pg_host=127.0.0.1
pg_port=5432
pg_user=postgres
max_minutes=20
drop_db=false
kept="$repo/bench/ledger/target/kept-ledger"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
invocation="bench/scan/run.sh${*:+ $*}"
while (($#)); do
    case $1 in
        --clients) clients=${2:?}; shift 2 ;;
        --seconds) seconds=${2:?}; shift 2 ;;
        --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
        --threads) threads=${2:?}; shift 2 ;;
        --port) port=${2:?}; shift 2 ;;
        --management-port) management_port=${2:?}; shift 2 ;;
        --app) app_dir=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --pg-host) pg_host=${2:?}; shift 2 ;;
        --pg-port) pg_port=${2:?}; shift 2 ;;
        --pg-user) pg_user=${2:?}; shift 2 ;;
        --max-minutes) max_minutes=${2:?}; shift 2 ;;
        --drop-db) drop_db=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
for v in seconds warmup_seconds threads port management_port pg_port max_minutes; do
    is_uint "${!v}" || die "--${v//_/-} must be a whole number"
done
[[ $clients =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--clients must be numbers separated by commas"
[[ $pg_host =~ ^(127\.[0-9.]+|localhost|::1)$ ]] || die "--pg-host must be a loopback address"
[[ -f $app_dir/quarkus-run.jar ]] || die "no $app_dir/quarkus-run.jar: build the service first (mvn package -DskipTests)"
[[ -f $kept/service.env && -f $kept/codes.txt ]] || die "no kept ledger in $kept: run bench/ledger/run.sh --keep-db first"
for tool in java curl psql wrk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
db=$(sed -n 's/^db=//p' "$kept/service.env")
secret=$(sed -n 's/^secret=//p' "$kept/service.env")
password=$(sed -n 's/^password=//p' "$kept/service.env")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracemark-scan-bench.XXXXXX")
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_service
    if [[ $drop_db == true ]]; then
        drop_database "$db"
        rm -rf "$kept"
    fi
    finish_run "$rc"
    exit "$rc"
}
begin_run
sql() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -At -c "$1"; }
items=$(sql "select count(*) from code")
events=$(sql "select count(*) from event")
log "kept ledger $db: $items items, $events events"

start_service "$tmp/service.log" TRACEMARK_DB_URL="jdbc:postgresql://$pg_host:$pg_port/$db" \
    TRACEMARK_DB_USER="$pg_user" TRACEMARK_CODES_SECRET="$secret" TRACEMARK_SESSION_KEY="$secret" TRACEMARK_ADMIN_PASSWORD="$password" \
    TRACEMARK_DATA_DIR="$tmp/data" TRACEMARK_SCAN_RATE_LIMIT_ENABLED=false
authorization="Basic $(printf 'admin:%s' "$password" | base64 -w0)"

# Sanity: each mode answers 200 for a sampled code, with what that mode promises.
read -r gtin serial < <(head -n 1 "$kept/codes.txt")
curl -sf -H 'Accept: text/html' "http://127.0.0.1:$port/01/$gtin/21/$serial" | grep -qi '<html' || die "the scan page did not answer HTML"
curl -sf -H 'Accept: application/json' "http://127.0.0.1:$port/01/$gtin/21/$serial" | grep -q '"verdict"' || die "the JSON scan did not answer a verdict"
curl -sf -H "Authorization: $authorization" "http://127.0.0.1:$port/api/codes/$serial" | grep -q "$serial" || die "the bare endpoint did not answer the code"

# One wrk run; sets w_rps, w_p50, w_p99 (ms), w_requests, w_errors.
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print "n/a" }'; }
run_wrk() {
    local mode=$1 connections=$2 duration=$3 report=$4
    wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency -s "$here/codes.lua" \
        "http://127.0.0.1:$port" -- "$kept/codes.txt" "$mode" "$authorization" >"$report" 2>&1 || die "wrk failed: $(tail -5 "$report")"
    w_rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$report")
    w_p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$report")")
    w_p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$report")")
    w_requests=$(awk '/requests in/ {print $1}' "$report")
    w_errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$report")
    w_errors=${w_errors:-0}
    local socket
    socket=$(awk '/Socket errors:/ {print $0}' "$report")
    [[ -z $socket ]] || w_errors="$w_errors; $socket"
}

rows=()
declare -A rps p99 p50
for c in ${clients//,/ }; do
    for mode in bare page json; do
        run_wrk "$mode" "$c" "$warmup_seconds" "$tmp/warmup-$mode-$c.txt"
        sleep 1  # the warm-up's last scans, written behind, are not the window's
        scans_before=$(sql "select count(*) from scan")
        load=$(cut -d' ' -f1 /proc/loadavg)
        run_wrk "$mode" "$c" "$seconds" "$tmp/wrk-$mode-$c.txt"
        # The scan log writes behind the answers, after at most 0.5 s: wait for the last group.
        sleep 1
        scans=$(($(sql "select count(*) from scan") - scans_before))
        rps[$mode,$c]=$w_rps; p50[$mode,$c]=$w_p50; p99[$mode,$c]=$w_p99
        rows+=("| $c | $mode | $w_requests | $w_rps | $w_p50 | $w_p99 | $scans | $w_errors | $load |")
        log "$mode at $c clients: $w_rps requests/s, p50 $w_p50 ms, p99 $w_p99 ms, $scans scans recorded, errors: $w_errors"
    done
done

reading=""
for c in ${clients//,/ }; do
    for mode in page json; do
        ratio=$(awk -v a="${rps[$mode,$c]}" -v b="${rps[bare,$c]}" 'BEGIN { printf "%.2f", a / b }')
        verdicts=$(awk -v p="${p99[$mode,$c]}" -v b="${p99[bare,$c]}" -v q="$ratio" 'BEGIN {
            printf "%s at least 0.7 of the bare rate", (q >= 0.7) ? "meets" : "misses";
            printf ", %s p99 at most twice the bare p99 (%s ms)", (p <= 2 * b) ? "meets" : "misses", b }')
        reading+="- $mode at $c clients: ${rps[$mode,$c]} requests/s, p50 ${p50[$mode,$c]} ms, p99 ${p99[$mode,$c]} ms, $ratio of the bare endpoint's ${rps[bare,$c]} requests/s: $verdicts."$'\n'
    done
done

{
    cat <<EOT
# Tracemark scan benchmark: results

Produced by \`$invocation\` (run from the repository root), finished $(date -u +'%Y-%m-%d %H:%M UTC').
Every figure below comes from that one run.

## Machine

$(cat "$tmp/machine.md")

## What was measured

The service ran on PostgreSQL on the database a ledger benchmark run kept: $items items and
$events events (each item commissioned, inspected, palletised, shipped, stored, shipped on, put in
a case, shipped to a shop, stocked, and nine in ten sold). wrk ($threads threads, on the same
machine) asked for random codes of a sample of $(wc -l <"$kept/codes.txt") codes of every batch, each
mode for $seconds s after a ${warmup_seconds}-second warm-up, at each client count in turn:

- **page**: \`GET /01/{gtin}/21/{serial}\` with \`Accept: text/html\`, the consumer's scan page: the
  code's verdict, origin, journey and sale, rendered, and the scan recorded (a row in \`scan\`);
- **json**: the same path with \`Accept: application/json\`, what an app gets, the scan recorded;
- **bare**: \`GET /api/codes/{serial}\` of the same service as its administrator: one read of the
  code by its primary key, nothing else, the baseline.

The rate limit of the public endpoints was off (\`TRACEMARK_SCAN_RATE_LIMIT_ENABLED=false\`): here
one address stands for every phone. The database pool had its default size. Latencies are wrk's,
from sending a request to its last byte; "scans" counts the rows the service recorded in the window.

| clients | mode | requests | requests/s | p50 ms | p99 ms | scans recorded | non-2xx / socket errors | load before |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
EOT
    printf '%s\n' "${rows[@]}"
    printf '\n## Reading against the aims\n\nThe aims, at every client count: at least 0.7 of the bare endpoint'"'"'s requests/s, and a p99 at most twice the bare endpoint'"'"'s p99 in the same run.\n\n%s\n' "$reading"
    echo "The machine is shared and has 2 cores for the service, PostgreSQL and wrk together; the modes are interleaved at each client count so that the ratios to the bare endpoint compare like with like."
} >"$out.tmp"
mv "$out.tmp" "$out"
log "results written to $out"
