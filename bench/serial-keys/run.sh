#!/usr/bin/env bash
# The offline check's cost per retained serial key (bench/serial-keys/results.md).
# Needs the service's classes built: mvn -o -pl trace-service -am package -DskipTests
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
classes="$here/../../trace-service/target/classes"
[ -f "$classes/io/tracemark/trace/code/SerialKeys.class" ] || { echo "build trace-service first (see run.sh)" >&2; exit 1; }
out="$here/results.md"
{
  echo "# Offline check cost per retained serial key"
  echo
  echo "Command: \`bench/serial-keys/run.sh\` ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1);"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Median of 15 rounds of 20,000 checks (\`SerialKeys.counterOf\`, one warm-up round), per check."
  echo
  timeout 600 java -cp "$classes" "$here/SerialKeysBench.java"
} > "$out.new"
mv "$out.new" "$out"
cat "$out"
