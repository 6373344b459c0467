package dev.tinysim.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mini-batch Adam with a cosine learning-rate schedule, reproducible bit for bit.
 *
 * <p>Determinism with threads: a batch is cut into a fixed number of shards ({@link Config#shards}, not
 * the number of CPUs). Each shard sums its samples' gradients, in sample order, into its own buffer;
 * the shard buffers are then added in shard order by one thread. Which thread computes a shard and
 * when does not change a single bit, so the trained weights are identical on any machine with any
 * number of cores.
 */
final class Trainer {

    record Config(long seed, int epochs, int batch, int shards, double learningRate, double finalLearningRate,
                  double weightDecay) {
        Config {
            if (batch % shards != 0) {
                throw new IllegalArgumentException("batch " + batch + " is not a multiple of shards " + shards);
            }
        }
    }

    record Result(float[] params, double finalLoss, double trainAccuracy) {
    }

    private Trainer() {
    }

    static Result train(ActivityNet net, List<ActivityData.Window> data, Config c, PrintStream log) {
        return train(net, data, c, log, Math.max(1, Math.min(c.shards(), Runtime.getRuntime().availableProcessors())));
    }

    /** Adam's moment decays and epsilon. */
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final float EPS = 1e-7f;

    /** As above with an explicit thread count (which, by design, does not change the result). */
    static Result train(ActivityNet net, List<ActivityData.Window> data, Config c, PrintStream log, int threads) {
        Rng rng = Rng.derive(c.seed(), 1);
        float[] p = net.initialParams(rng);
        float[] m = new float[p.length];
        float[] v = new float[p.length];
        float[][] shardGrad = new float[c.shards()][p.length];
        double[] shardLoss = new double[c.shards()];
        List<ActivityNet.Workspace> ws = new ArrayList<>();
        for (int s = 0; s < c.shards(); s++) {
            ws.add(net.workspace());
        }
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int stepsPerEpoch = data.size() / c.batch();
        int totalSteps = stepsPerEpoch * c.epochs();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tinysim-train");
            t.setDaemon(true);
            return t;
        });
        double epochLoss = 0;
        int step = 0;
        try {
            for (int epoch = 0; epoch < c.epochs(); epoch++) {
                rng.shuffle(order);
                epochLoss = 0;
                for (int s = 0; s < stepsPerEpoch; s++, step++) {
                    for (Future<Void> f : pool.invokeAll(shardTasks(net, data, c, order, s * c.batch(), p, ws, shardGrad, shardLoss))) {
                        f.get();
                    }
                    float[] g = sumShardGradients(shardGrad);
                    for (int sh = 0; sh < c.shards(); sh++) {
                        epochLoss += shardLoss[sh];
                    }
                    adamStep(c, step, totalSteps, g, p, m, v);
                }
                if (log != null) {
                    log.printf("  epoch %2d/%d  loss %.4f%n", epoch + 1, c.epochs(), epochLoss / (stepsPerEpoch * c.batch()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("training failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Result(p, epochLoss / (stepsPerEpoch * c.batch()), accuracy(net, p, data));
    }

    /** One task per shard: the summed gradient (into its own buffer) and loss of its samples of the batch at {@code base}. */
    private static List<Callable<Void>> shardTasks(ActivityNet net, List<ActivityData.Window> data, Config c, int[] order,
                                                   int base, float[] p, List<ActivityNet.Workspace> ws,
                                                   float[][] shardGrad, double[] shardLoss) {
        int perShard = c.batch() / c.shards();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int sh = 0; sh < c.shards(); sh++) {
            int shard = sh;
            tasks.add(() -> {
                float[] g = shardGrad[shard];
                java.util.Arrays.fill(g, 0f);
                double loss = 0;
                net.prepare(p, ws.get(shard));
                for (int i = 0; i < perShard; i++) {
                    ActivityData.Window w = data.get(order[base + shard * perShard + i]);
                    loss += net.accumulateGradient(p, w.values(), w.label(), ws.get(shard), g);
                }
                shardLoss[shard] = loss;
                return null;
            });
        }
        return tasks;
    }

    /** The shards' gradients added in shard order into the first shard's buffer, which is returned. */
    private static float[] sumShardGradients(float[][] shardGrad) {
        float[] g = shardGrad[0];
        for (int sh = 1; sh < shardGrad.length; sh++) {
            float[] gs = shardGrad[sh];
            for (int i = 0; i < g.length; i++) {
                g[i] += gs[i];
            }
        }
        return g;
    }

    /** One Adam update of {@code p} (moments {@code m}, {@code v}) by the batch gradient sum {@code g}, cosine learning rate, decoupled decay. */
    private static void adamStep(Config c, int step, int totalSteps, float[] g, float[] p, float[] m, float[] v) {
        double lr = c.finalLearningRate() + 0.5 * (c.learningRate() - c.finalLearningRate())
                * (1 + StrictMath.cos(StrictMath.PI * step / totalSteps));
        int t = step + 1;
        float stepSize = (float) (lr * StrictMath.sqrt(1 - StrictMath.pow(B2, t)) / (1 - StrictMath.pow(B1, t)));
        float decay = (float) (1 - lr * c.weightDecay());
        float inv = 1f / c.batch();
        float fb1 = (float) B1;
        float fb2 = (float) B2;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] * inv;
            m[i] = fb1 * m[i] + (1f - fb1) * gi;
            v[i] = fb2 * v[i] + (1f - fb2) * gi * gi;
            p[i] = p[i] * decay - stepSize * m[i] / ((float) Math.sqrt(v[i]) + EPS);
        }
    }

    static double accuracy(ActivityNet net, float[] p, List<ActivityData.Window> data) {
        ActivityNet.Workspace w = net.workspace();
        net.prepare(p, w);
        int ok = 0;
        for (ActivityData.Window x : data) {
            if (net.predict(p, x.values(), w) == x.label()) {
                ok++;
            }
        }
        return (double) ok / data.size();
    }
}
