package dev.tinysim.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic 3-axis accelerometer windows for the demo's activity classifier: 64 samples at 25 Hz
 * (2.56 s) per axis, in g, as a wrist- or pocket-worn ±4 g sensor with 12-bit output would report them
 * (specific force: +1 g "up" at rest). Four classes: {@link #LABELS}.
 *
 * <p>Every window is a function of (seed, index) only: {@link Rng#derive} gives each window its own
 * stream, so data sets of any size are reproducible bit for bit and windows never depend on each other.
 * Window {@code i} has label {@code i % 4}, so any prefix is (nearly) balanced.
 *
 * <p>What varies, so that the task is not trivial:
 * <ul>
 *   <li>device orientation: uniformly random "up" and "forward" directions in the sensor frame;</li>
 *   <li>per-axis sensor offset (σ 0.03 g) and gain error (σ 2 %), white noise (class dependent level);</li>
 *   <li>walking: step rate 1.5–2.3 Hz, vertical amplitude 0.12–0.6 g, harmonics, stride sway, cadence jitter;</li>
 *   <li>running: step rate 2.2–3.3 Hz, 0.45–1.8 g impact-shaped vertical pulses, larger sway
 *       (slow jogging and brisk walking overlap on purpose);</li>
 *   <li>shaking: 3.5–8 Hz with a chirp, 0.3–2.5 g, translational along a random axis plus a rotational
 *       wobble of the gravity direction, sometimes only during part of the window;</li>
 *   <li>idle: a slowly swaying gravity vector, sometimes a bump (a short 0.2–0.8 g pulse) or a slow tilt;</li>
 *   <li>transitions: a quarter of the windows contain another activity in their first or last 15–35 %
 *       (the label is the majority activity).</li>
 * </ul>
 */
public final class ActivityData {

    public static final int SAMPLES = 64;
    public static final int AXES = 3;
    public static final double RATE_HZ = 25.0;
    public static final List<String> LABELS = List.of("idle", "walking", "running", "shaking");
    public static final int CLASSES = LABELS.size();

    /** Sensor full scale (g) and resolution (12 bits over ±4 g). */
    static final double FULL_SCALE = 4.0;
    static final double LSB = 2 * FULL_SCALE / 4096;

    private ActivityData() {
    }

    /** One window: {@code values[t * AXES + axis]} in g (the model's NHWC input layout [1, 1, 64, 3]). */
    public record Window(float[] values, int label) {
    }

    /** Windows {@code first .. first + count - 1} of the data set with this seed. */
    public static List<Window> generate(long seed, int first, int count) {
        List<Window> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(window(seed, first + i));
        }
        return out;
    }

    public static Window window(long seed, long index) {
        int label = (int) Math.floorMod(index, (long) CLASSES);
        Rng r = Rng.derive(seed, index);
        Frame frame = Frame.random(r);
        double[][] sig = new double[SAMPLES][AXES];
        int from = 0;
        int to = SAMPLES;
        if (r.chance(0.25)) {
            int other = r.nextInt(CLASSES - 1);
            other = other >= label ? other + 1 : other;
            int len = (int) Math.round(r.uniform(0.15, 0.35) * SAMPLES);
            if (r.chance(0.5)) {
                synth(other, r, frame, sig, 0, len);
                from = len;
            } else {
                synth(other, r, frame, sig, SAMPLES - len, SAMPLES);
                to = SAMPLES - len;
            }
        }
        synth(label, r, frame, sig, from, to);

        double noise = switch (label) {
            case 0 -> r.uniform(0.005, 0.03);
            case 1 -> r.uniform(0.02, 0.07);
            case 2 -> r.uniform(0.04, 0.15);
            default -> r.uniform(0.03, 0.1);
        };
        double[] offset = new double[AXES];
        double[] gain = new double[AXES];
        for (int a = 0; a < AXES; a++) {
            offset[a] = 0.03 * r.gaussian();
            gain[a] = 1.0 + 0.02 * r.gaussian();
        }
        float[] values = new float[SAMPLES * AXES];
        for (int t = 0; t < SAMPLES; t++) {
            for (int a = 0; a < AXES; a++) {
                double v = sig[t][a] * gain[a] + offset[a] + noise * r.gaussian();
                v = Math.max(-FULL_SCALE, Math.min(FULL_SCALE - LSB, v));
                values[t * AXES + a] = (float) (StrictMath.rint(v / LSB) * LSB);
            }
        }
        return new Window(values, label);
    }

    /** Orthonormal body directions in the sensor frame: up (against gravity), forward, lateral. */
    record Frame(double[] up, double[] forward, double[] lateral) {
        static Frame random(Rng r) {
            double[] up = r.unitVector();
            double[] f;
            do {
                double[] v = r.unitVector();
                f = sub(v, scale(up, dot(v, up)));
            } while (norm(f) < 0.1);
            f = scale(f, 1.0 / norm(f));
            return new Frame(up, f, cross(up, f));
        }
    }

    private static void synth(int label, Rng r, Frame fr, double[][] sig, int from, int to) {
        switch (label) {
            case 0 -> idle(r, fr, sig, from, to);
            case 1 -> walking(r, fr, sig, from, to);
            case 2 -> running(r, fr, sig, from, to);
            default -> shaking(r, fr, sig, from, to);
        }
    }

    private static double time(int t) {
        return t / RATE_HZ;
    }

    private static void idle(Rng r, Frame fr, double[][] sig, int from, int to) {
        double swayAmp = r.uniform(0.005, 0.04);
        double swayHz = r.uniform(0.1, 0.5);
        double swayPhase = r.uniform(0, 2 * Math.PI);
        double[] swayDir = r.unitVector();
        boolean bump = r.chance(0.35);
        double bumpAt = r.uniform(from, to);
        double bumpWidth = r.uniform(0.04, 0.15) * RATE_HZ;
        double bumpAmp = r.uniform(0.2, 0.8);
        double[] bumpDir = r.unitVector();
        boolean tilt = r.chance(0.2);
        double[] up2 = r.unitVector();
        double tiltStart = r.uniform(from, to);
        double tiltLen = r.uniform(0.5, 1.5) * RATE_HZ;
        for (int t = from; t < to; t++) {
            double[] up = fr.up();
            if (tilt) {
                double k = Math.max(0, Math.min(1, (t - tiltStart) / tiltLen));
                double s = k * k * (3 - 2 * k);
                double[] mixed = add(scale(fr.up(), 1 - s), scale(up2, s));
                double n = norm(mixed);
                up = n < 1e-6 ? fr.up() : scale(mixed, 1 / n);
            }
            double[] v = add(up, scale(swayDir, swayAmp * StrictMath.sin(2 * Math.PI * swayHz * time(t) + swayPhase)));
            if (bump) {
                double z = (t - bumpAt) / bumpWidth;
                v = add(v, scale(bumpDir, bumpAmp * StrictMath.exp(-0.5 * z * z)));
            }
            sig[t] = v;
        }
    }

    /** Step phase with cadence jitter: 2π f t + φ + slow wobble. */
    private static double[] phases(Rng r, double stepHz, int from, int to) {
        double phase0 = r.uniform(0, 2 * Math.PI);
        double jitter = r.uniform(0.0, 0.4);
        double jitterHz = r.uniform(0.2, 0.6);
        double jitterPhase = r.uniform(0, 2 * Math.PI);
        double[] theta = new double[SAMPLES];
        for (int t = from; t < to; t++) {
            theta[t] = 2 * Math.PI * stepHz * time(t) + phase0
                    + jitter * StrictMath.sin(2 * Math.PI * jitterHz * time(t) + jitterPhase);
        }
        return theta;
    }

    private static void walking(Rng r, Frame fr, double[][] sig, int from, int to) {
        double stepHz = r.uniform(1.5, 2.3);
        double vAmp = r.uniform(0.12, 0.6);
        double h2 = r.uniform(0.1, 0.5);
        double h2Phase = r.uniform(0, 2 * Math.PI);
        double fAmp = r.uniform(0.05, 0.3);
        double fDelay = r.uniform(0.5, 2.0);
        double lAmp = r.uniform(0.03, 0.2);
        double lPhase = r.uniform(0, 2 * Math.PI);
        double[] theta = phases(r, stepHz, from, to);
        for (int t = from; t < to; t++) {
            double th = theta[t];
            double vertical = vAmp * (StrictMath.sin(th) + h2 * StrictMath.sin(2 * th + h2Phase));
            double forward = fAmp * StrictMath.sin(th + fDelay);
            double lateral = lAmp * StrictMath.sin(0.5 * th + lPhase);
            sig[t] = body(fr, 1.0 + vertical, forward, lateral);
        }
    }

    private static void running(Rng r, Frame fr, double[][] sig, int from, int to) {
        double stepHz = r.uniform(2.2, 3.3);
        double vAmp = r.uniform(0.45, 1.8);
        double kappa = r.uniform(1.0, 3.0);
        double fAmp = r.uniform(0.2, 0.7);
        double fDelay = r.uniform(0.3, 1.5);
        double lAmp = r.uniform(0.1, 0.4);
        double lPhase = r.uniform(0, 2 * Math.PI);
        double[] theta = phases(r, stepHz, from, to);
        // Impact pulses exp(κ(cos θ - 1)); their mean over a period is e^-κ I0(κ), so the dynamic part
        // averages to zero as body acceleration must.
        double mean = StrictMath.exp(-kappa) * besselI0(kappa);
        double norm = 1.0 - mean;
        for (int t = from; t < to; t++) {
            double th = theta[t];
            double vertical = vAmp * (StrictMath.exp(kappa * (StrictMath.cos(th) - 1)) - mean) / norm;
            double forward = fAmp * StrictMath.sin(th + fDelay);
            double lateral = lAmp * StrictMath.sin(0.5 * th + lPhase);
            sig[t] = body(fr, 1.0 + vertical, forward, lateral);
        }
    }

    private static void shaking(Rng r, Frame fr, double[][] sig, int from, int to) {
        double f0 = r.uniform(3.5, 8.0);
        double chirp = r.uniform(-1.0, 1.0);
        double amp = r.uniform(0.3, 2.5);
        double phase = r.uniform(0, 2 * Math.PI);
        double[] dir = r.unitVector();
        double wobble = r.uniform(0.0, 0.5);
        double[] wobbleAxis = r.unitVector();
        double[] w = sub(wobbleAxis, scale(fr.up(), dot(wobbleAxis, fr.up())));
        double wn = norm(w);
        w = wn < 1e-6 ? fr.forward() : scale(w, 1 / wn);
        // a burst: full window, or a smooth ramp in/out over part of it
        boolean burst = r.chance(0.3);
        double burstStart = r.uniform(from, from + 0.4 * (to - from));
        double burstLen = r.uniform(0.5, 1.0) * (to - burstStart);
        for (int t = from; t < to; t++) {
            double tt = time(t);
            double th = 2 * Math.PI * (f0 * tt + 0.5 * chirp * tt * tt) + phase;
            double env = 1.0;
            if (burst) {
                double k = (t - burstStart) / burstLen;
                env = k < 0 || k > 1 ? 0.0 : StrictMath.sin(Math.PI * k);
            }
            double s = StrictMath.sin(th);
            double[] up = add(fr.up(), scale(w, env * wobble * StrictMath.sin(th + 0.7)));
            up = scale(up, 1 / norm(up));
            sig[t] = add(up, scale(dir, env * amp * s));
        }
    }

    private static double[] body(Frame fr, double up, double forward, double lateral) {
        return add(add(scale(fr.up(), up), scale(fr.forward(), forward)), scale(fr.lateral(), lateral));
    }

    /** Modified Bessel function I0 by its power series (converges fast for the small arguments used). */
    static double besselI0(double x) {
        double sum = 1.0;
        double term = 1.0;
        double q = x * x / 4.0;
        for (int k = 1; k < 40; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return StrictMath.sqrt(dot(a, a));
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
