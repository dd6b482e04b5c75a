package io.tracemark.bench.marking;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time used so far, by whom: the JVM as a whole, its threads grouped by what they do, and the
 * processes outside it that carry the links (socat for the pseudo-terminals, the MQTT broker). The
 * difference of two samples is a profile of the time between them; dividing by the items settled
 * meanwhile gives CPU per item, which the shared machine disturbs far less than wall-clock rates.
 */
final class CpuSample {

    /** Who spends the CPU, judged by thread name; the names are set by the driver, Paho and the simulator. */
    enum Part {
        PIPELINE("pipeline (driver thread: pipeline, dialect encoding, command waits)"),
        DRIVER_LINK("driver link (transport reader, dialect decoding, MQTT client)"),
        MARKER("simulated marker (engine thread, which also renders the camera's photo of every etch)"),
        FRONT_END("simulated front end (the marker's dialect side, its serial port or MQTT client)"),
        BENCH("benchmark (line pacing, sampling)"),
        JVM("JVM (garbage collection, JIT compiler, other)");

        final String label;

        Part(String label) {
            this.label = label;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    final long nanos;
    final long process;
    final Map<Long, Long> threadCpu;
    final Map<Long, Part> threadPart;
    final long socat;
    final long broker;
    /** Machine-wide jiffies from /proc/stat: all, and idle plus iowait; zeros when unreadable. */
    final long machineTotal;
    final long machineIdle;

    private CpuSample(long nanos, long process, Map<Long, Long> threadCpu, Map<Long, Part> threadPart, long socat,
            long broker, long[] machine) {
        this.nanos = nanos;
        this.process = process;
        this.threadCpu = threadCpu;
        this.threadPart = threadPart;
        this.socat = socat;
        this.broker = broker;
        this.machineTotal = machine[0];
        this.machineIdle = machine[1];
    }

    static CpuSample take() {
        long now = System.nanoTime();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, Part> part = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long used = THREADS.getThreadCpuTime(info.getThreadId());
            if (used >= 0) {
                cpu.put(info.getThreadId(), used);
                part.put(info.getThreadId(), classify(info.getThreadName()));
            }
        }
        long socat = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("socat")).orElse(false))
                .mapToLong(CpuSample::cpuNanos).sum();
        long broker = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mosquitto")).orElse(false))
                .mapToLong(CpuSample::cpuNanos).sum();
        return new CpuSample(now, OS.getProcessCpuTime(), cpu, part, socat, broker, machine());
    }

    private static long[] machine() {
        try {
            String cpuLine = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpuLine.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static Part classify(String name) {
        if (name.startsWith("marking-pipeline")) {
            return Part.PIPELINE;
        }
        if (name.startsWith("serial-reader") || name.startsWith("mqtt-inbox") || name.contains(": drv-")) {
            return Part.DRIVER_LINK;
        }
        if (name.startsWith("virtual-marker")) {
            return Part.MARKER;
        }
        if (name.startsWith("marker-") || name.startsWith("ascii-marker") || name.startsWith("framed-marker")
                || name.contains(": mkr-")) {
            return Part.FRONT_END;
        }
        if (name.startsWith("bench-") || name.startsWith("paced-line") || name.equals("main")) {
            return Part.BENCH;
        }
        return Part.JVM;
    }

    /**
     * CPU spent between {@code earlier} and this sample, by part. Threads that started in between
     * count from zero; threads that ended in between are lost to the parts and left in the JVM
     * total, which is why the JVM part is the process total less the named parts.
     */
    Map<Part, Long> since(CpuSample earlier) {
        Map<Part, Long> used = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            used.put(p, 0L);
        }
        long named = 0;
        for (Map.Entry<Long, Long> thread : threadCpu.entrySet()) {
            Part p = threadPart.get(thread.getKey());
            if (p == Part.JVM) {
                continue;
            }
            long delta = thread.getValue() - earlier.threadCpu.getOrDefault(thread.getKey(), 0L);
            used.merge(p, delta, Long::sum);
            named += delta;
        }
        used.put(Part.JVM, Math.max(0, process - earlier.process - named));
        return used;
    }

    long processSince(CpuSample earlier) {
        return process - earlier.process;
    }

    long socatSince(CpuSample earlier) {
        return Math.max(0, socat - earlier.socat);
    }

    long brokerSince(CpuSample earlier) {
        return Math.max(0, broker - earlier.broker);
    }

    /**
     * Share of the whole machine's CPU (all cores) busy between the samples, whoever used it: on a
     * shared machine it tells whether a run had the cores to itself. NaN when /proc/stat is unreadable.
     */
    double machineBusySince(CpuSample earlier) {
        long total = machineTotal - earlier.machineTotal;
        return total <= 0 ? Double.NaN : 1.0 - (machineIdle - earlier.machineIdle) / (double) total;
    }

    Duration wallSince(CpuSample earlier) {
        return Duration.ofNanos(nanos - earlier.nanos);
    }

    /** User plus system time of another process; 0 when the system does not say (not our process). */
    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
