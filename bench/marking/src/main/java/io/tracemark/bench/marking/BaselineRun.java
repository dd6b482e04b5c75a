package io.tracemark.bench.marking;

import io.tracemark.bench.support.Stats;

/**
 * What a bare request/response loop over a link measured: no dialect, no pipeline, no simulator,
 * one request and one reply of the sizes an ENQ and its answer have in the dialect.
 *
 * @param exchangesPerSecond measured exchanges per second (each a request and its reply)
 * @param roundTripP50       microseconds from writing the request to reading the whole reply
 * @param cpuPerExchange     CPU of this process per exchange, microseconds
 * @param peerCpuPerExchange CPU of the link's own process (socat or the broker) per exchange
 */
record BaselineRun(String variant, int exchanges, int requestBytes, int replyBytes, double exchangesPerSecond,
        double roundTripP50, double roundTripP99, double cpuPerExchange, double peerCpuPerExchange,
        double machineBusy, String failure) {

    static BaselineRun failed(String variant, int requestBytes, int replyBytes, String why) {
        return new BaselineRun(variant, 0, requestBytes, replyBytes, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, why);
    }

    static BaselineRun of(String variant, int requestBytes, int replyBytes, long[] roundTrips, long elapsedNanos,
            CpuSample first, CpuSample last, boolean peerIsBroker) {
        int n = roundTrips.length;
        double peer = peerIsBroker ? last.brokerSince(first) : last.socatSince(first);
        return new BaselineRun(variant, n, requestBytes, replyBytes, n / (elapsedNanos / 1e9),
                Stats.percentile(roundTrips, 50) / 1e3, Stats.percentile(roundTrips, 99) / 1e3,
                last.processSince(first) / 1e3 / n, peer / 1e3 / n, last.machineBusySince(first), null);
    }
}
