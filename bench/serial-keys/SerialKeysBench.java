import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tracemark.trace.code.SerialCodec;
import io.tracemark.trace.code.SerialKeys;

/**
 * The offline check's cost per retained serial key: a timing loop (no JMH) over SerialKeys with
 * 1, 2, 4 and 8 keys. A serial carries no key id, so a code of the oldest key and a forgery both
 * try every key; a code of the newest key stops at the first. Prints a Markdown table.
 */
public class SerialKeysBench {

    private static final int ROUNDS = Integer.getInteger("rounds", 15);
    private static final int CHECKS = Integer.getInteger("checks", 20_000);
    private static long sink;

    public static void main(String[] args) {
        int[] keyCounts = { 1, 2, 4, 8 };
        System.out.println("| keys held | newest key's code, ns/check | oldest key's code, ns/check | forged, ns/check | forged, ratio to 1 key |");
        System.out.println("| --- | --- | --- | --- | --- |");
        double oneKeyForged = 0;
        for (int keys : keyCounts) {
            List<SerialCodec> codecs = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                byte[] secret = new byte[32];
                Arrays.fill(secret, (byte) (k + 1));
                codecs.add(0, new SerialCodec(secret));
            }
            SerialKeys ring = new SerialKeys(codecs);
            String[] newest = ring.current().serialsOf(1_000, CHECKS);
            String[] oldest = codecs.get(codecs.size() - 1).serialsOf(1_000, CHECKS);
            String[] forged = new String[CHECKS];
            for (int i = 0; i < CHECKS; i++) {
                forged[i] = newest[i].substring(0, 17) + (newest[i].charAt(17) == '0' ? '1' : '0');
            }
            double n = median(ring, newest);
            double o = median(ring, oldest);
            double f = median(ring, forged);
            if (keys == 1) {
                oneKeyForged = f;
            }
            System.out.printf("| %d | %.0f | %.0f | %.0f | %.2f |%n", keys, n, o, f, f / oneKeyForged);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Median over the rounds of the mean time of one check, after one round of warm-up. */
    private static double median(SerialKeys ring, String[] serials) {
        double[] rounds = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (String serial : serials) {
                sink += ring.counterOf(serial).orElse(-1);
            }
            double perCheck = (System.nanoTime() - start) / (double) serials.length;
            if (round >= 0) {
                rounds[round] = perCheck;
            }
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }
}
