package io.tracemark.trace.code;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The serial keys a registry holds: the current key, which issues every new code, and the retired
 * keys, kept so that the codes they issued still check as genuine. A serial carries no key id (the
 * scheme stays as it was), so reading one tries each key, newest first; docs/serial-scheme.md
 * gives the cost of each retained key.
 */
public final class SerialKeys {

    private final List<SerialCodec> codecs;

    /** {@code codecs} newest first: the first is the current key. */
    public SerialKeys(List<SerialCodec> codecs) {
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("a registry needs at least one serial key");
        }
        List<SerialCodec> distinct = new ArrayList<>();
        for (SerialCodec codec : codecs) {
            if (distinct.stream().noneMatch(kept -> kept.keyFingerprint().equals(codec.keyFingerprint()))) {
                distinct.add(codec);
            }
        }
        this.codecs = List.copyOf(distinct);
    }

    /** The key new codes are issued under. */
    public SerialCodec current() {
        return codecs.get(0);
    }

    /** Every key, newest first. */
    public List<SerialCodec> all() {
        return codecs;
    }

    public List<String> fingerprints() {
        return codecs.stream().map(SerialCodec::keyFingerprint).toList();
    }

    /**
     * The counter of a serial under the first key whose check it passes, or empty if none of the
     * keys issued it. Where the registry is at hand, prefer its {@code find}, which also confirms
     * the code was issued under that key.
     */
    public OptionalLong counterOf(String serial) {
        for (SerialCodec codec : codecs) {
            OptionalLong counter = codec.counterOf(serial);
            if (counter.isPresent()) {
                return counter;
            }
        }
        return OptionalLong.empty();
    }

    /** The counters a serial decodes to, one per key that accepts it; almost always none or one. */
    public long[] candidateCounters(String serial) {
        return codecs.stream().map(codec -> codec.counterOf(serial)).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).toArray();
    }

    @Override
    public String toString() {
        return "SerialKeys" + fingerprints();
    }
}
