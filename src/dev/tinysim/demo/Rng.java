package dev.tinysim.demo;

/**
 * The demo's only source of randomness: SplitMix64 (Steele, Lea, Flood 2014) written out here so that the
 * stream is fixed by this file, not by a JDK version. Doubles use the top 53 bits; Gaussians use
 * Box-Muller with {@link StrictMath} (whose results are specified bit for bit), so every value the demo
 * derives from a seed is identical on every JVM and platform.
 */
public final class Rng {

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** An independent stream for a named purpose (e.g. sample {@code i} of a data set). */
    public static Rng derive(long seed, long stream) {
        return new Rng(mix(seed ^ mix(stream + 0x632BE59BD9B4E019L)));
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform in [0, bound), unbiased (rejection sampling). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = bound;
        while (true) {
            long u = nextLong() >>> 1;
            long r = u % m;
            if (u - r + (m - 1) >= 0) { // no overflow: u is not in the incomplete last block
                return (int) r;
            }
        }
    }

    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Standard normal (Box-Muller, one value per call, no cached second value). */
    public double gaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** A uniformly distributed unit vector in 3-D. */
    public double[] unitVector() {
        double z = uniform(-1.0, 1.0);
        double phi = uniform(0.0, 2.0 * StrictMath.PI);
        double r = StrictMath.sqrt(1.0 - z * z);
        return new double[] {r * StrictMath.cos(phi), r * StrictMath.sin(phi), z};
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
