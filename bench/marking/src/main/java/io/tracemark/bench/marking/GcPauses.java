package io.tracemark.bench.marking;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Every garbage collection the JVM reports, with when it started and how long it took: a pause
 * stops every station's threads at once, so a window's longest pause bounds how much of any
 * stall the collector can explain.
 */
final class GcPauses implements AutoCloseable {

    /** One collection; times in milliseconds of JVM uptime. */
    record Pause(String name, long startMillis, long durationMillis) {
    }

    private final List<Pause> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // The default collector here (G1) reports only its young and full collections, both of
            // which stop every thread.
            synchronized (this) {
                pauses.add(new Pause(info.getGcName() + " " + info.getGcCause(), info.getGcInfo().getStartTime(),
                        info.getGcInfo().getDuration()));
            }
        }
    };

    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** The stop-the-world pauses that started between the two uptimes. */
    synchronized List<Pause> between(long fromMillis, long toMillis) {
        return pauses.stream().filter(p -> p.startMillis() >= fromMillis && p.startMillis() < toMillis).toList();
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // Never added to this one: nothing to remove.
            }
        }
    }
}
