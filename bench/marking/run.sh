#!/usr/bin/env bash
# Tracemark marking benchmark.
#
# Measures, in one run on this machine:
#   1. one station at zero mark time, no camera, per dialect (ascii, framed, mqtt): items/s and
#      per-item overhead of the real MarkingPipeline against the simulated station, on the station
#      as the fixtures ship it and without its camera feed; against, in the same rounds, a bare
#      jSerialComm request/response loop through a socat pseudo-terminal, a bare Paho
#      request/response loop through Mosquitto, and the 115200-baud ceiling computed from the bytes
#      each code put on the line, with ascii and framed also run on a line paced at 115200 baud;
#   2. many stations at line speed in one JVM (all mqtt, and the three dialects mixed; with the
#      camera and gate, and without the camera) for a fixed window: underruns, released items/s,
#      CPU, and the marking invariants of every station;
#   3. a Panasonic LP marker (one code, an item always waiting) at 115200 baud and over TCP, at
#      mark times of 20 and 100 ms: what the driver adds per item to the marker's own cycle.
# Prints a summary and writes bench/marking/results.md (see --out).
#
# Needs: bash, java 17, socat, flock, mosquitto (the run starts its own broker on a free port
# from 18830, with set_tcp_nodelay true; TRACEMARK_TEST_MQTT=tcp://127.0.0.1:PORT names another,
# which should have anonymous access and set_tcp_nodelay true), and a built benchmark (bench/marking/target/bench-marking-*.jar with its
# lib/ folder; this script never builds it: mvn -q -o package -pl bench/marking -am -DskipTests).
# All traffic stays on the loopback interface.
#
# Usage: bench/marking/run.sh [--runs 5] [--items 2000] [--warmup 300] [--paced-items 500]
#        [--stations 20] [--speed 20] [--seconds 30] [--warmup-seconds 10] [--queue-depth 8]
#        [--lp-items 100] [--only dialects|stations|panasonic-lp] [--out FILE] [--max-minutes 25]
#        [--keep-tmp]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

runs=5
items=2000
warmup=300
paced_items=500
stations=20
speed=20
seconds=30
warmup_seconds=10
queue_depth=8
lp_items=100
only=
out="$here/results.md"
max_minutes=25
keep_tmp=false
lock_file="${TMPDIR:-/tmp}/tracemark-bench-marking.lock"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

invocation="bench/marking/run.sh${*:+ $*}"
while (($#)); do
    case $1 in
        --runs) runs=${2:?}; shift 2 ;;
        --items) items=${2:?}; shift 2 ;;
        --warmup) warmup=${2:?}; shift 2 ;;
        --paced-items) paced_items=${2:?}; shift 2 ;;
        --stations) stations=${2:?}; shift 2 ;;
        --speed) speed=${2:?}; shift 2 ;;
        --seconds) seconds=${2:?}; shift 2 ;;
        --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
        --queue-depth) queue_depth=${2:?}; shift 2 ;;
        --lp-items) lp_items=${2:?}; shift 2 ;;
        --only) only=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --max-minutes) max_minutes=${2:?}; shift 2 ;;
        --keep-tmp) keep_tmp=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
for v in runs items warmup paced_items stations speed seconds warmup_seconds queue_depth lp_items max_minutes; do
    is_uint "${!v}" || die "--${v//_/-} must be a whole number"
done
((runs >= 1 && items >= 10 && paced_items >= 10 && warmup >= 1)) \
    || die "--runs and --warmup must be at least 1, --items and --paced-items at least 10"
((stations >= 1 && speed >= 1 && seconds >= 1 && queue_depth >= 1 && max_minutes >= 1)) \
    || die "--stations, --speed, --seconds, --queue-depth and --max-minutes must be at least 1"
[[ -z $only || $only == dialects || $only == stations || $only == panasonic-lp ]] \
    || die "--only takes dialects, stations or panasonic-lp"
for tool in java socat flock awk sha256sum; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# Whether something accepts connections on host $1, port $2.
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# A broker of the run's own unless TRACEMARK_TEST_MQTT names one: an MQTT exchange through a
# Mosquitto without set_tcp_nodelay waits for Nagle's algorithm (44 ms an exchange, measured).
own_broker=false
if [[ -z ${TRACEMARK_TEST_MQTT:-} ]]; then
    command -v mosquitto >/dev/null || die "mosquitto is not installed (or name a broker in TRACEMARK_TEST_MQTT)"
    own_broker=true
    broker_port=18830
    while answers 127.0.0.1 "$broker_port"; do broker_port=$((broker_port + 1)); done
    TRACEMARK_TEST_MQTT=tcp://127.0.0.1:$broker_port
fi
broker_url=$TRACEMARK_TEST_MQTT
# The benchmark's stations use this broker too (without the variable they would start their own).
export TRACEMARK_TEST_MQTT
[[ $broker_url =~ ^tcp://(127\.[0-9.]+|localhost):([0-9]+)$ ]] \
    || die "the broker must be on loopback (TRACEMARK_TEST_MQTT=$broker_url)"
broker_host=${BASH_REMATCH[1]}
broker_port=${BASH_REMATCH[2]}
if [[ $own_broker == false ]]; then
    answers "$broker_host" "$broker_port" \
        || die "no MQTT broker answers on $broker_host:$broker_port (start Mosquitto first)"
fi

jar=$(ls "$repo"/bench/marking/target/bench-marking-*.jar 2>/dev/null | head -1 || true)
[[ -n $jar && -d $repo/bench/marking/target/lib ]] \
    || die "no built benchmark in bench/marking/target: build it first (mvn -q -o package -pl bench/marking -am -DskipTests)"

# --- housekeeping: one run at a time, a watchdog, cleanup on any exit -------------------------
# Two runs at once would share the two cores and the broker and measure each other.
exec 9>"$lock_file"
flock -n 9 || die "another marking benchmark is running (lock $lock_file is held)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracemark-bench-marking.XXXXXX")
java_pid=
watchdog_pid=
broker_pid=

# Stops the benchmark's JVM: TERM lets its shutdown hook close the stations (socat pairs, broker
# sessions); a JVM that does not end within 20 s is killed, and its socat children, found by its
# id beforehand, are ended by theirs.
stop_java() {
    local pid=$java_pid i children
    [[ -n $pid ]] || return 0
    java_pid=
    children=$(pgrep -P "$pid" 2>/dev/null || true)
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        for child in $children; do kill -TERM "$child" 2>/dev/null || true; done
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_java
    if [[ -n $broker_pid ]]; then kill "$broker_pid" 2>/dev/null || true; fi
    if [[ -n $watchdog_pid ]]; then kill "$watchdog_pid" 2>/dev/null || true; fi
    if [[ $keep_tmp == true || $rc -ne 0 ]]; then
        echo "run.sh: temp folder kept: $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

# The watchdog bounds the whole run: it stops this script, whose trap stops the benchmark's JVM
# and cleans up.
(
    end=$((SECONDS + max_minutes * 60))
    while ((SECONDS < end)); do sleep 1; done
    echo "run.sh: over --max-minutes $max_minutes, stopping" >&2
    kill -TERM $$ 2>/dev/null
) &
watchdog_pid=$!

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- the run's broker, stopped by cleanup ---------------------------------------------------
if [[ $own_broker == true ]]; then
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n' "$broker_port" \
        >"$tmp/mosquitto.conf"
    mosquitto -c "$tmp/mosquitto.conf" >"$tmp/mosquitto.log" 2>&1 &
    broker_pid=$!
    for ((i = 0; i < 100; i++)); do
        answers 127.0.0.1 "$broker_port" && break
        sleep 0.1
    done
    answers 127.0.0.1 "$broker_port" || die "the run's Mosquitto did not start: $(cat "$tmp/mosquitto.log")"
fi

# --- machine ---------------------------------------------------------------------------------
started_at=$(date -u +'%Y-%m-%d %H:%M UTC')
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
java_version=$(java -version 2>&1 | sed -n 2p)
socat_version=$(socat -V 2>/dev/null | awk '/socat version/ {print $3; exit}')
mosquitto_version=$( (mosquitto -h 2>/dev/null || true) | awk '/^mosquitto version/ {print $3; exit}')
if [[ $own_broker == true ]]; then
    nodelay="true (the run's own broker)"
else
    nodelay=$(cat /etc/mosquitto/mosquitto.conf /etc/mosquitto/conf.d/*.conf 2>/dev/null \
        | awk '$1 == "set_tcp_nodelay" {value = $2} END {print value}' || true)
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_build="$(basename "$jar") built $(date -u -r "$jar" +'%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$jar" | cut -c1-12)"
log "machine: $(nproc) cores, $mem_total, $cpu_model; load average $load_before"

# The build folder may be replaced while this runs: measure a copy of it.
mkdir -p "$tmp/app"
cp "$jar" "$tmp/app/"
cp -r "$repo/bench/marking/target/lib" "$tmp/app/lib"
app_jar="$tmp/app/$(basename "$jar")"

# Runs one part of the benchmark in its own JVM (no JVM options: the defaults a station runs
# with); its progress goes to the console and a log, its exit status is returned. The JVM and its
# socat children do not inherit the lock, so that none of them could keep it after the run.
run_part() {
    local name=$1
    shift
    log "part $name: java -jar $(basename "$app_jar") $name $*"
    java -jar "$app_jar" "$name" "$@" 9>&- 2> >(tee "$tmp/$name.log" >&2) &
    java_pid=$!
    local status=0
    wait "$java_pid" || status=$?
    java_pid=
    return "$status"
}

failed_parts=()
if [[ -z $only || $only == dialects ]]; then
    run_part dialects --runs "$runs" --items "$items" --warmup "$warmup" --paced-items "$paced_items" \
        --queue-depth "$queue_depth" --out "$tmp/dialects.md" --verdicts "$tmp/dialects-verdicts.md" \
        || failed_parts+=(dialects)
fi
if [[ -z $only || $only == stations ]]; then
    run_part stations --stations "$stations" --speed "$speed" --seconds "$seconds" \
        --warmup-seconds "$warmup_seconds" --queue-depth "$queue_depth" --out "$tmp/stations.md" \
        --verdicts "$tmp/stations-verdicts.md" || failed_parts+=(stations)
fi
if [[ -z $only || $only == panasonic-lp ]]; then
    run_part panasonic-lp --runs "$runs" --items "$lp_items" --out "$tmp/panasonic-lp.md" \
        --verdicts "$tmp/panasonic-lp-verdicts.md" || failed_parts+=(panasonic-lp)
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
((${#failed_parts[@]} == 0)) || log "warning: part(s) ${failed_parts[*]} exited with an error; see the logs in $tmp"

# --- results file ----------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
{
    cat <<EOF
# Tracemark marking benchmark: results

Produced by \`$invocation\` (run from the repository root), started $started_at,
finished $(date -u +'%H:%M UTC'). Every figure below comes from that one run.

## Machine

| what | value |
| --- | --- |
| cores (nproc) | $(nproc) |
| memory | $mem_total |
| CPU | $cpu_model |
| kernel | $(uname -r) |
| Java | $java_version (no JVM options) |
| MQTT broker | Mosquitto ${mosquitto_version:-unknown} on $broker_host:$broker_port, set_tcp_nodelay ${nodelay:-not set} |
| pseudo-terminals | socat ${socat_version:-unknown} |
| benchmark build | $bench_build |
| load average (1, 5, 15 min) | $load_before before, $load_after after |

The machine is shared: other work ran at the same time (see *machine busy*, the share of both
cores in use by anything during each measured window), so single runs are noisy. Read the
medians, the same-round ratios and the CPU per code, which the other load disturbs least. The
benchmark's driver and simulator share one JVM and the two cores with socat and the broker.

## Reading against the aims

EOF
    [[ -f $tmp/dialects-verdicts.md ]] && cat "$tmp/dialects-verdicts.md"
    [[ -f $tmp/stations-verdicts.md ]] && cat "$tmp/stations-verdicts.md"
    [[ -f $tmp/panasonic-lp-verdicts.md ]] && cat "$tmp/panasonic-lp-verdicts.md"
    ((${#failed_parts[@]} == 0)) || printf -- '- Part(s) %s failed to complete; their sections are missing or partial.\n' "${failed_parts[*]}"
    echo
    [[ -f $tmp/dialects.md ]] && { cat "$tmp/dialects.md"; echo; }
    [[ -f $tmp/stations.md ]] && { cat "$tmp/stations.md"; echo; }
    [[ -f $tmp/panasonic-lp.md ]] && cat "$tmp/panasonic-lp.md"
} >"$out.tmp"
mv "$out.tmp" "$out"

echo "Marking benchmark, $started_at:"
cat "$tmp/dialects-verdicts.md" "$tmp/stations-verdicts.md" "$tmp/panasonic-lp-verdicts.md" 2>/dev/null || true
echo "Results written to $out"
((${#failed_parts[@]} == 0))
