package dev.tinysim.plan;

import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The arena of a model, as TFLite Micro plans it and as small as tinysim can make it.
 *
 * @param buffers    the planned buffers (tensors, then scratch buffers), TFLite Micro's order
 * @param tflite     TFLite Micro's plan ({@link GreedyPlanner}; an OfflineMemoryAllocation plan in the model is honoured)
 * @param best       the smallest plan found that an OfflineMemoryAllocation plan can express: its tensor offsets fixed,
 *                   the scratch buffers planned around them by TFLite Micro's planner (what {@code tinysim plan} writes,
 *                   and what TFLite Micro and tinysim's runtime then plan). When no such plan is smaller than TFLite
 *                   Micro's own (possible only with several scratch buffers in one operator), TFLite Micro's plan itself
 *                   ({@code bestIsOffline} false): never larger than {@code tflite}.
 * @param bestIsOffline {@code best} fixes the tensors' offsets (an offline plan); false when it is TFLite Micro's plan
 * @param lowerBound no plan of these buffers is smaller: the most bytes alive at one time, or the best plan's size
 *                   when the exact search proved it optimal
 * @param optimal    the exact search proved that no smaller plan exists
 * @param nodes      nodes the exact search visited
 * @param layers     memory per operator and the peak
 */
public record ArenaAnalysis(List<Buffer> buffers, Plan tflite, Plan best, boolean bestIsOffline, long lowerBound, boolean optimal,
                            long nodes, LayerMemory layers) {

    private static final Map<String, ArenaAnalysis> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 256;

    /**
     * Analyses a model with the scratch buffers its operators requested (request order).
     *
     * @param nodeBudget nodes the exact search may visit; 0: {@link BestPlanner#nodeBudget} (about half a second)
     */
    public static ArenaAnalysis of(TfliteModel model, List<Scratch> scratch, long nodeBudget) {
        List<Buffer> buffers = Lifetimes.of(model, scratch);
        nodeBudget = nodeBudget > 0 ? nodeBudget : BestPlanner.nodeBudget(buffers);
        Plan tflite = GreedyPlanner.plan(buffers);
        BestPlanner.Best found = BestPlanner.find(buffers, nodeBudget);
        List<Plan> tried = new ArrayList<>();
        tried.add(found.plan());
        tried.add(tflite);
        tried.addAll(found.candidates());
        Plan best = null;
        for (Plan p : tried) {
            Plan real = realize(p);
            if (best == null || real.size() < best.size()) {
                best = real;
            }
            if (best.size() <= found.plan().size()) {
                break; // the best found, expressed as an offline plan: nothing smaller among the candidates
            }
        }
        boolean offline = best.size() <= tflite.size();
        if (!offline) {
            best = tflite;
        }
        long bound = Math.min(found.lowerBound(), best.size());
        boolean optimal = found.optimal() && best.size() == found.plan().size();
        return new ArenaAnalysis(buffers, tflite, best, offline, bound, optimal, found.nodes(), LayerMemory.of(model, buffers));
    }

    /** {@link #of}, remembered per model file and scratch list (a sweep runs the same model many times). */
    public static ArenaAnalysis cached(byte[] modelBytes, TfliteModel model, List<Scratch> scratch, long nodeBudget) {
        String key = java.util.HexFormat.of().formatHex(sha256(modelBytes)) + scratch + "/" + nodeBudget;
        ArenaAnalysis a = CACHE.get(key);
        if (a == null) {
            a = of(model, scratch, nodeBudget);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.put(key, a);
            }
        }
        return a;
    }

    /**
     * The plan an OfflineMemoryAllocation plan of {@code p}'s tensor offsets gives: tensors fixed there, scratch buffers
     * placed around them by TFLite Micro's planner (as TFLite Micro and tinysim's runtime do).
     */
    public static Plan realize(Plan p) {
        List<Buffer> fixed = new ArrayList<>();
        for (int i = 0; i < p.buffers().size(); i++) {
            Buffer b = p.buffers().get(i);
            fixed.add(b.kind() == Buffer.Kind.tensor ? b.at(p.offset(i)) : b.online());
        }
        return GreedyPlanner.plan(fixed);
    }

    /** The tensor offsets of the best plan, one per tensor of subgraph 0 (-1: not planned), for {@link OfflinePlan#write}. */
    public long[] bestTensorOffsets(int tensors) {
        return OfflinePlan.tensorOffsets(best, tensors);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
