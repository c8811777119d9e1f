package dev.weft.kernels;

/**
 * Philox4x32-10, the counter-based random number generator of Salmon, Moraes, Dror and Shaw ("Parallel
 * random numbers: as easy as 1, 2, 3", SC 2011), as the {@code pi} kernel computes it.
 *
 * <p>A block is a pure function of a 128-bit counter and a 64-bit key, so any draw can be recomputed
 * anywhere. That lets {@link #piHits} give the exact count a device's {@code pi} kernel must produce.
 *
 * <p>All values are unsigned 32-bit words held in {@code int}s. Stateless and safe from any thread.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    // the Weyl sequence that bumps the key between rounds: the golden ratio and sqrt(3) - 1, as 32-bit fractions
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;

    // a coordinate keeps 24 bits, so x * x + y * y < 1 is X * X + Y * Y < 2^48 with X = x * 2^24
    private static final int COORDINATE_SHIFT = 8;
    private static final long UNIT_CIRCLE = 1L << 48;

    private Philox() {}

    /**
     * Computes one Philox4x32-10 block: ten rounds over the counter, with the key bumped between rounds.
     *
     * @param counter0 the counter's first word
     * @param counter1 the counter's second word
     * @param counter2 the counter's third word
     * @param counter3 the counter's fourth word
     * @param key0 the key's first word
     * @param key1 the key's second word
     * @return a new array of the four output words
     */
    public static int[] block(int counter0, int counter1, int counter2, int counter3, int key0, int key1) {
        int c0 = counter0;
        int c1 = counter1;
        int c2 = counter2;
        int c3 = counter3;
        int k0 = key0;
        int k1 = key1;
        for (int round = 0; round < ROUNDS; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long product0 = unsigned(M0) * unsigned(c0);
            long product1 = unsigned(M1) * unsigned(c2);
            int next0 = high(product1) ^ c1 ^ k0;
            int next2 = high(product0) ^ c3 ^ k1;
            c0 = next0;
            c1 = (int) product1;
            c2 = next2;
            c3 = (int) product0;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /**
     * Counts what the {@code pi} kernel's hits add up to when run over {@code items} work items with the key
     * {@code (seedLo, seedHi) = ((int) seed, (int) (seed >>> 32))}: the points inside the quarter circle, out
     * of {@code 2 * items * samplesPerItem}.
     *
     * @param seed the 64-bit key, low word first as the kernel's {@code seedLo}
     * @param items the global size the kernel ran with
     * @param samplesPerItem the blocks each work item draws, each giving two points
     * @return the number of points inside, the same on every device
     * @throws IllegalArgumentException if {@code items} or {@code samplesPerItem} is negative
     */
    public static long piHits(long seed, int items, int samplesPerItem) {
        if (items < 0 || samplesPerItem < 0) {
            throw new IllegalArgumentException(
                    "items and samplesPerItem must not be negative, but were " + items + " and " + samplesPerItem);
        }
        int seedLo = (int) seed;
        int seedHi = (int) (seed >>> 32);
        long hits = 0;
        for (int item = 0; item < items; item++) {
            for (int sample = 0; sample < samplesPerItem; sample++) {
                int[] out = block(item, sample, 0, 0, seedLo, seedHi);
                hits += inside(out[0], out[1]) + inside(out[2], out[3]);
            }
        }
        return hits;
    }

    private static int inside(int u, int v) {
        long x = unsigned(u) >>> COORDINATE_SHIFT;
        long y = unsigned(v) >>> COORDINATE_SHIFT;
        return x * x + y * y < UNIT_CIRCLE ? 1 : 0;
    }

    private static long unsigned(int word) {
        return word & 0xFFFFFFFFL;
    }

    private static int high(long product) {
        return (int) (product >>> 32);
    }
}
