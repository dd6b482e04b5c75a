#!/usr/bin/env bash
# The image's class data archive (app-cds.jsa): written by one training start of the service in the
# image's own JVM, as the build does for the README's command (trace-service/src/build/
# ClassDataTraining.java, which needs a JDK; this image has a JRE). An archive serves only the JVM
# that wrote it. Run at image build from the service's folder; the training start keeps nothing:
# its data folder is thrown away, so every container makes its own keys and administrator.
set -euo pipefail
training=$(mktemp -d)
TRACEMARK_DATA_DIR="$training/data" TRACEMARK_HOST=127.0.0.1 TRACEMARK_MANAGEMENT_HOST=127.0.0.1 \
    java -XX:ArchiveClassesAtExit=app-cds.jsa -jar quarkus-run.jar >"$training/log" 2>&1 &
pid=$!
ready() {
    exec 3<>/dev/tcp/127.0.0.1/9000 && printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3 \
        && read -r status <&3 && [[ $status == *' 200 '* ]]
}
for _ in $(seq 600); do
    if ready 2>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || { cat "$training/log"; exit 1; }
    sleep 0.5
done
# SIGTERM: the service stops as docker stop stops it, and the JVM writes the archive on its way out.
kill -TERM "$pid"
wait "$pid" || true
rm -rf "$training"
test -s app-cds.jsa
