#!/usr/bin/env bash
# Tracemark ledger benchmark.
#
# Starts the built service on a fresh PostgreSQL database and runs bench-ledger against it: the
# ledger is filled through POST /epcis/capture batch by batch (about 5 events per item), and at each
# checkpoint capture throughput, single-item trace latency and the streaming of a 100,000-item batch
# recall are measured, each against a raw PostgreSQL baseline taken in the same rounds.
# Writes bench/ledger/results.md (see --out).
#
# Needs: bash, java 17, curl, psql, a PostgreSQL server on loopback that the given user can create
# databases on (trust auth), the built service (trace-service/target/quarkus-app) and the built
# benchmark (bench/ledger/target/bench-ledger-*.jar with lib/); this script never builds.
#
# Usage: bench/ledger/run.sh [--batches 10] [--batch-items 100000] [--checkpoints 1,10] [--clients 2]
#        [--capture-rounds 10] [--trace-samples 1000] [--recall-runs 3] [--port 18080]
#        [--management-port 19080] [--app DIR] [--out FILE] [--db tracemark_bench_ledger]
#        [--pg-host 127.0.0.1] [--pg-port 5432] [--pg-user postgres] [--max-minutes 60] [--keep-db]
#        [--jfr FILE]
#
# --keep-db keeps the filled database and writes bench/ledger/target/kept-ledger/ (the service's
# secret and password, and a sample of the items' codes), on which bench/scan/run.sh measures.
# --jfr FILE runs the service with a JDK Flight Recording (the 'profile' settings) written to FILE when
# it stops: where the capture's CPU goes (jfr print --events jdk.ExecutionSample FILE). The recording
# costs a little CPU itself, so figures of such a run are for the profile, not for results.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

batches=10
batch_items=100000
checkpoints=1,10
clients=2
capture_rounds=10
trace_samples=1000
recall_runs=3
port=18080
management_port=19080
app_dir="$repo/trace-service/target/quarkus-app"
out="$here/results.md"
db=tracemark_bench_ledger
pg_host=127.0.0.1
pg_port=5432
pg_user=postgres
max_minutes=60
keep_db=false
jfr=

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
invocation="bench/ledger/run.sh${*:+ $*}"
while (($#)); do
    case $1 in
        --batches) batches=${2:?}; shift 2 ;;
        --batch-items) batch_items=${2:?}; shift 2 ;;
        --checkpoints) checkpoints=${2:?}; shift 2 ;;
        --clients) clients=${2:?}; shift 2 ;;
        --capture-rounds) capture_rounds=${2:?}; shift 2 ;;
        --trace-samples) trace_samples=${2:?}; shift 2 ;;
        --recall-runs) recall_runs=${2:?}; shift 2 ;;
        --port) port=${2:?}; shift 2 ;;
        --management-port) management_port=${2:?}; shift 2 ;;
        --app) app_dir=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --db) db=${2:?}; shift 2 ;;
        --pg-host) pg_host=${2:?}; shift 2 ;;
        --pg-port) pg_port=${2:?}; shift 2 ;;
        --pg-user) pg_user=${2:?}; shift 2 ;;
        --max-minutes) max_minutes=${2:?}; shift 2 ;;
        --keep-db) keep_db=true; shift ;;
        --jfr) jfr=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
for v in batches batch_items clients capture_rounds trace_samples recall_runs port management_port pg_port max_minutes; do
    is_uint "${!v}" || die "--${v//_/-} must be a whole number"
done
[[ $checkpoints =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--checkpoints must be batch numbers separated by commas"
[[ $pg_host =~ ^(127\.[0-9.]+|localhost|::1)$ ]] || die "--pg-host must be a loopback address"
[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || die "--db must be a plain lower-case database name"
[[ -f $app_dir/quarkus-run.jar ]] || die "no $app_dir/quarkus-run.jar: build the service first (mvn package -DskipTests)"
bench_jar=$(ls "$here"/target/bench-ledger-*.jar 2>/dev/null | head -n 1)
[[ -n $bench_jar ]] || die "no bench/ledger/target/bench-ledger-*.jar: build it first (mvn package -pl bench/ledger -am -DskipTests)"
for tool in java curl psql; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracemark-ledger-bench.XXXXXX")
db_owned=false
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_service
    if [[ $keep_db == false && $db_owned == true ]]; then
        drop_database "$db"
    fi
    finish_run "$rc"
    exit "$rc"
}
begin_run

log "PostgreSQL database $db: recreating"
db_owned=true
drop_database "$db"
psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c "create database $db"

export TRACEMARK_BENCH_PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
kept_args=()
if [[ $keep_db == true ]]; then
    # What bench/scan/run.sh needs to start the service on the kept database again.
    kept="$here/target/kept-ledger"
    mkdir -p "$kept"
    printf 'db=%s\nsecret=%s\npassword=%s\n' "$db" "$secret" "$TRACEMARK_BENCH_PASSWORD" >"$kept/service.env"
    chmod 600 "$kept/service.env"
    kept_args=(--serials-out "$kept/codes.txt")
fi
java_opts=()
if [[ -n $jfr ]]; then
    java_opts=("-XX:StartFlightRecording=settings=profile,filename=$(realpath -m "$jfr"),dumponexit=true")
fi
start_service "$tmp/service.log" TRACEMARK_DB_URL="jdbc:postgresql://$pg_host:$pg_port/$db" \
    TRACEMARK_DB_USER="$pg_user" TRACEMARK_CODES_SECRET="$secret" TRACEMARK_SESSION_KEY="$secret" \
    TRACEMARK_ADMIN_PASSWORD="$TRACEMARK_BENCH_PASSWORD" TRACEMARK_DATA_DIR="$tmp/data"
log "service ready on 127.0.0.1:$port"

java -jar "$bench_jar" --api "http://127.0.0.1:$port" --jdbc "jdbc:postgresql://$pg_host:$pg_port/$db" \
    --db-user "$pg_user" --batches "$batches" --batch-items "$batch_items" --checkpoints "$checkpoints" \
    --clients "$clients" --capture-rounds "$capture_rounds" --trace-samples "$trace_samples" \
    --recall-runs "$recall_runs" --out "$out" --machine "$tmp/machine.md" --invocation "$invocation" \
    ${kept_args[@]+"${kept_args[@]}"}
