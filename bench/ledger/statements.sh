#!/usr/bin/env bash
# Where capture's database time goes.
#
# Loads ledger batches through the service's EPCIS capture exactly as bench/ledger/run.sh does
# (2 clients, the whole story of every item), but on a PostgreSQL cluster of its own, started for
# the run on a free port with pg_stat_statements loaded, and then lists the statements that took
# the server's time: calls, rows, seconds, microseconds per row and per EPC observation loaded.
# The cluster and its data are removed at the end. Writes bench/ledger/statements.md (see --out).
#
# Needs: bash, java 17, curl, psql, PostgreSQL's server binaries (initdb, pg_ctl; --pg-bin), the
# built service and bench/ledger (as for run.sh). Run as root, the cluster belongs to the postgres
# user (initdb refuses root).
#
# Usage: bench/ledger/statements.sh [--batches 1] [--batch-items 100000] [--top 15] [--app DIR]
#        [--out FILE] [--pg-bin /usr/lib/postgresql/15/bin] [--pg-port 55441] [--max-minutes 30]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

batches=1
batch_items=100000
top=15
app_dir="$repo/trace-service/target/quarkus-app"
out="$here/statements.md"
pg_bin=/usr/lib/postgresql/15/bin
pg_port=55441
max_minutes=30

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
invocation="bench/ledger/statements.sh${*:+ $*}"
while (($#)); do
    case $1 in
        --batches) batches=${2:?}; shift 2 ;;
        --batch-items) batch_items=${2:?}; shift 2 ;;
        --top) top=${2:?}; shift 2 ;;
        --app) app_dir=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --pg-bin) pg_bin=${2:?}; shift 2 ;;
        --pg-port) pg_port=${2:?}; shift 2 ;;
        --max-minutes) max_minutes=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
for n in "$batches" "$batch_items" "$top" "$pg_port" "$max_minutes"; do
    is_uint "$n" && ((n > 0)) || die "counts, ports and minutes are positive whole numbers, not '$n'"
done
[[ -x $pg_bin/initdb && -x $pg_bin/pg_ctl ]] || die "no initdb and pg_ctl in $pg_bin (--pg-bin)"
port_in_use "$pg_port" && die "port $pg_port is taken: choose another with --pg-port"
out=$(realpath -m "$out")

cluster=$(mktemp -d "${TMPDIR:-/tmp}/tracemark-statements.XXXXXX")
as_owner=()
if ((EUID == 0)); then
    chown postgres "$cluster"
    as_owner=(runuser -u postgres --)
fi
started=false
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ $started == true ]]; then
        "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null 2>&1 || true
    fi
    if ((rc == 0)); then rm -rf "$cluster"; else echo "statements.sh: cluster kept in $cluster" >&2; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "statements.sh: interrupted" >&2; exit 130' INT TERM

log "PostgreSQL cluster on 127.0.0.1:$pg_port in $cluster"
"${as_owner[@]}" "$pg_bin/initdb" -D "$cluster/data" -A trust -U postgres >"$cluster/initdb.log" 2>&1 \
    || { cat "$cluster/initdb.log" >&2; die "initdb failed"; }
# The server settings of this machine's PostgreSQL that the ledger benchmark reports, plus the
# statistics extension, which must be loaded at server start.
cat >>"$cluster/data/postgresql.conf" <<EOT
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.track_planning = on
shared_buffers = 160MB
max_wal_size = 1GB
EOT
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w start >/dev/null
started=true
sql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
sql -c "create extension pg_stat_statements"

# Loading only (no checkpoint): the statements are those of capture, not of the measurements.
"$here/run.sh" --batches "$batches" --batch-items "$batch_items" --checkpoints 0 --pg-port "$pg_port" \
    --db tracemark_statements --app "$app_dir" --out "$cluster/unused.md" --max-minutes "$max_minutes" \
    2>&1 | tee "$cluster/run.log" >&2
grep -q 'batch [0-9]* of [0-9]* loaded: ' "$cluster/run.log" || die "the ledger benchmark loaded nothing"
# "batch 1 of 1 loaded: 500,260 events, 710,060 EPCs in 118.9 s (...)": EPCs and seconds, summed.
read -r epcs seconds < <(grep -o 'batch [0-9]* of [0-9]* loaded: .*' "$cluster/run.log" \
    | sed -E 's/.* ([0-9,]+) EPCs in ([0-9.]+) s.*/\1 \2/; s/,//g' | awk '{e += $1; s += $2} END {print e, s}')

# Statements differing only in their number of VALUES rows are one statement here.
statements=$(sql -At -F'|' -v top="$top" -v epcs="$epcs" <<'EOT'
with s as (
    select regexp_replace(regexp_replace(query, '\s+', ' ', 'g'), '(\(\$[0-9]+(, \$[0-9]+)*\),?)+', '(...)', 'g') as q,
           calls, rows, total_exec_time, total_plan_time
    from pg_stat_statements
    where query not in ('analyze', 'checkpoint', 'vacuum analyze') and query not like 'create %'
), g as (
    select q, sum(calls) calls, sum(rows) rows_, sum(total_exec_time) ms, sum(total_plan_time) plan_ms from s group by q
)
select left(q, 110), calls, rows_, round((ms / 1000)::numeric, 2), round((plan_ms / 1000)::numeric, 2),
       case when rows_ > 0 then round((1000 * ms / rows_)::numeric, 1) end,
       round((1000 * ms / :epcs)::numeric, 1),
       round((100 * ms / sum(ms) over ())::numeric, 1)
from g order by ms desc limit :top
EOT
)
total=$(sql -At -c "select round((sum(total_exec_time) / 1000)::numeric, 1) from pg_stat_statements where query not in ('analyze', 'checkpoint', 'vacuum analyze')")
planning=$(sql -At -c "select round((sum(total_plan_time) / 1000)::numeric, 1) from pg_stat_statements")
waits=$(sql -At -c "select round((sum(total_exec_time) / 1000)::numeric, 1) from pg_stat_statements where query ilike '%from ledger_head%for update%'")

{
    echo "# Tracemark ledger benchmark: where capture's database time goes"
    echo
    echo "Produced by \`$invocation\` (run from the repository root), written $(date -u +'%Y-%m-%d %H:%M UTC')."
    echo
    echo "## Machine"
    echo
    machine_rows
    echo "| PostgreSQL | $(sql -At -c 'show server_version') on a cluster of the run's own (127.0.0.1:$pg_port, shared_buffers 160MB, fsync and synchronous_commit on, pg_stat_statements) |"
    echo "| service build | $(date -u -r "$app_dir/quarkus-run.jar" +'%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$app_dir/quarkus-run.jar" | cut -c1-12) |"
    echo
    echo "## What was measured"
    echo
    echo "\`bench/ledger/run.sh --batches $batches --batch-items $batch_items --checkpoints 0\` loaded the ledger"
    echo "through \`POST /epcis/capture\` (2 clients): $epcs EPC observations in $seconds s, $(awk -v e="$epcs" -v s="$seconds" 'BEGIN {printf "%.0f", e / s}') a second."
    echo "The server's execution time of every statement, from pg_stat_statements (statements that differ"
    echo "only in how many rows their VALUES list holds are counted as one)."
    echo
    echo "Server time running statements: $total s, $(awk -v t="$total" -v e="$epcs" 'BEGIN {printf "%.1f", 1e6 * t / e}') µs per EPC observation;"
    echo "planning them: $planning s more."
    echo "Of the run time, waiting for the ledger head's row lock (\`select ... from ledger_head ... for update\`, the"
    echo "chain's one head that serialises captures): $waits s."
    echo
    echo "| statement | calls | rows | run s | plan s | run µs per row | run µs per EPC observation | share of run % |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    while IFS='|' read -r q calls rows s plan per_row per_epc share; do
        echo "| \`${q//|/\\|}\` | $calls | $rows | $s | $plan | ${per_row:--} | $per_epc | $share |"
    done <<<"$statements"
} >"$out"
log "written $out"
