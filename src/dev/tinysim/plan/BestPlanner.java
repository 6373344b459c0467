package dev.tinysim.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * The smallest plan tinysim can find for a set of buffers (every buffer planned freely; offline offsets are
 * ignored), and a lower bound on any plan's size.
 *
 * <ol>
 *   <li><b>Heuristics</b>: the buffers in several orders (TFLite Micro's; by size, lifetime, size × lifetime, first
 *       use, the bytes they conflict with, the peak they sit in; and 48 seeded shuffles), each placed by first fit
 *       and by best fit; the smallest plan is kept.</li>
 *   <li><b>Lower bound</b>: the most bytes alive at one time (every buffer alive then needs its own bytes).</li>
 *   <li><b>Exact search</b> (branch and bound) when the heuristic did not reach the bound: any plan can be made
 *       "left-justified" (no buffer can move to a lower offset) without growing, and such a plan, its buffers sorted
 *       by offset, is what first fit builds in that order. So it is enough to search the orders in which first fit
 *       places buffers at non-decreasing offsets. A branch is cut when its bound (the current peak; every unplaced
 *       buffer above the current offset and its own lowest free offset; and at every time, the current offset plus
 *       the bytes still to place there plus the placed bytes above the current offset) reaches the best plan.
 *       Identical buffers are placed in one order only. The search stops after a node budget (deterministic: the
 *       same model always gives the same plan); when it completes, the plan is optimal.</li>
 * </ol>
 */
public final class BestPlanner {
    /** Nodes the exact search may visit at most. */
    public static final long DEFAULT_NODE_BUDGET = 1_000_000;
    /**
     * Work the exact search may do by default, in units of one buffer × (buffers + allocation times), what a node costs:
     * about half a second on the machine this was measured on (16 µs per node at 60 buffers and 40 times).
     */
    public static final long DEFAULT_WORK = 200_000_000L;
    private static final int SHUFFLES = 48;
    private static final int SHUFFLES_LARGE = 8; // above 200 buffers (each plan costs buffers²)

    /**
     * @param plan       the smallest plan found
     * @param lowerBound no plan is smaller (the plan's size when the search proved it optimal)
     * @param optimal    the exact search completed: no smaller plan exists
     * @param nodes      nodes the exact search visited
     * @param candidates every plan tried by the heuristics, smallest first (for callers that must realize a plan
     *                   under extra rules, e.g. scratch buffers placed online)
     */
    public record Best(Plan plan, long lowerBound, boolean optimal, long nodes, List<Plan> candidates) {
    }

    private BestPlanner() {
    }

    /** The most bytes alive at one allocation time: no plan of these buffers is smaller. */
    public static long lowerBound(List<Buffer> buffers) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (Buffer b : buffers) {
            lo = Math.min(lo, b.first());
            hi = Math.max(hi, b.last());
        }
        long best = 0;
        for (int t = lo; t <= hi; t++) {
            long live = 0;
            for (Buffer b : buffers) {
                if (b.aliveAt(t)) {
                    live += b.size();
                }
            }
            best = Math.max(best, live);
        }
        return best;
    }

    /** The default node budget for these buffers: {@link #DEFAULT_WORK} divided by a node's cost, at most 1,000,000. */
    public static long nodeBudget(List<Buffer> buffers) {
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (Buffer b : buffers) {
            lo = Math.min(lo, b.first());
            hi = Math.max(hi, b.last());
        }
        long n = Math.max(1, buffers.size());
        long perNode = n * (n + Math.max(1, hi - lo + 1));
        return Math.max(1, Math.min(DEFAULT_NODE_BUDGET, DEFAULT_WORK / perNode));
    }

    public static Best find(List<Buffer> given, long nodeBudget) {
        List<Buffer> buffers = given.stream().map(Buffer::online).toList();
        long bound = lowerBound(buffers);
        List<Plan> plans = heuristics(buffers);
        plans.sort(Comparator.comparingLong(Plan::size));
        Plan best = plans.get(0);
        if (best.size() <= bound || buffers.isEmpty()) {
            return new Best(best, bound, true, 0, List.copyOf(plans));
        }
        Search s = new Search(buffers, best, nodeBudget);
        s.run();
        Plan found = s.bestPlan();
        if (found.size() < best.size()) {
            plans.add(0, found);
        }
        boolean optimal = !s.exhausted;
        return new Best(plans.get(0), optimal ? plans.get(0).size() : bound, optimal, s.nodes, List.copyOf(plans));
    }

    /** Every heuristic plan (orders × first/best fit). */
    static List<Plan> heuristics(List<Buffer> buffers) {
        int n = buffers.size();
        long[] conflict = new long[n];
        long[] peak = new long[n];
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (Buffer b : buffers) {
            lo = Math.min(lo, b.first());
            hi = Math.max(hi, b.last());
        }
        long[] live = new long[Math.max(0, hi - lo + 1)];
        for (Buffer b : buffers) {
            for (int t = b.first(); t <= b.last(); t++) {
                live[t - lo] += b.size();
            }
        }
        for (int i = 0; i < n; i++) {
            Buffer b = buffers.get(i);
            for (Buffer o : buffers) {
                if (o != b && o.overlapsInTime(b)) {
                    conflict[i] += o.size();
                }
            }
            for (int t = b.first(); t <= b.last(); t++) {
                peak[i] = Math.max(peak[i], live[t - lo]);
            }
        }
        List<List<Integer>> orders = new ArrayList<>();
        orders.add(tflite(buffers));
        orders.add(sorted(n, i -> -buffers.get(i).size(), i -> buffers.get(i).first()));
        orders.add(sorted(n, i -> -buffers.get(i).size(), i -> -(long) length(buffers.get(i))));
        orders.add(sorted(n, i -> -(long) length(buffers.get(i)), i -> -buffers.get(i).size()));
        orders.add(sorted(n, i -> -buffers.get(i).size() * length(buffers.get(i)), i -> i));
        orders.add(sorted(n, i -> buffers.get(i).first(), i -> -buffers.get(i).size()));
        orders.add(sorted(n, i -> -conflict[i], i -> -buffers.get(i).size()));
        orders.add(sorted(n, i -> -peak[i], i -> -buffers.get(i).size()));
        orders.add(sorted(n, i -> -peak[i], i -> -(long) length(buffers.get(i))));
        SplittableRandom rng = new SplittableRandom(0x7157_5eedL);
        List<Integer> base = sorted(n, i -> -buffers.get(i).size(), i -> i);
        for (int k = 0; k < (n > 200 ? SHUFFLES_LARGE : SHUFFLES); k++) {
            List<Integer> o = new ArrayList<>(base);
            // perturb the size order: swap neighbours at random, more as k grows
            for (int s = 0; s < (k + 1) * 2 && n > 1; s++) {
                int a = rng.nextInt(n - 1);
                java.util.Collections.swap(o, a, a + 1);
            }
            if (k % 4 == 3) {
                java.util.Collections.shuffle(o, new java.util.Random(rng.nextLong()));
            }
            orders.add(o);
        }
        List<Plan> plans = new ArrayList<>();
        for (List<Integer> o : orders) {
            plans.add(GreedyPlanner.placeInOrder(buffers, o, false));
            plans.add(GreedyPlanner.placeInOrder(buffers, o, true));
        }
        return plans;
    }

    private static List<Integer> tflite(List<Buffer> buffers) {
        List<Integer> order = new ArrayList<>();
        for (int i = buffers.size() - 1; i >= 0; i--) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> buffers.get(i).size()).reversed());
        return order;
    }

    private static int length(Buffer b) {
        return b.last() - b.first() + 1;
    }

    private static List<Integer> sorted(int n, ToLongFunction<Integer> key, ToLongFunction<Integer> tie) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(key).thenComparingLong(tie).thenComparingInt(i -> i));
        return order;
    }

    /** The branch and bound described in the class comment. */
    private static final class Search {
        final List<Buffer> buffers;
        final int n;
        final long[] size;
        final int[] first, last;
        final boolean[][] overlap;
        final int[] twin;          // the previous identical buffer, or -1
        final int lo, times;
        final long[] liveUnplaced; // per time: bytes of unplaced buffers alive then
        final long[] off;
        final boolean[] placed;
        final long[][] blockStart, blockEnd; // per buffer: placed neighbours in time, by offset
        final int[] blocks;
        final long budget;
        long best;
        long[] bestOff;
        long nodes;
        boolean exhausted;

        Search(List<Buffer> buffers, Plan incumbent, long budget) {
            this.buffers = buffers;
            this.budget = budget;
            n = buffers.size();
            size = new long[n];
            first = new int[n];
            last = new int[n];
            int l = Integer.MAX_VALUE, h = Integer.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                Buffer b = buffers.get(i);
                size[i] = b.size();
                first[i] = b.first();
                last[i] = b.last();
                l = Math.min(l, first[i]);
                h = Math.max(h, last[i]);
            }
            lo = l;
            times = h - l + 1;
            overlap = new boolean[n][n];
            twin = new int[n];
            for (int i = 0; i < n; i++) {
                twin[i] = -1;
                for (int j = 0; j < n; j++) {
                    overlap[i][j] = i != j && first[i] <= last[j] && first[j] <= last[i];
                }
                for (int j = i - 1; j >= 0 && twin[i] < 0; j--) {
                    if (size[j] == size[i] && first[j] == first[i] && last[j] == last[i]) {
                        twin[i] = j;
                    }
                }
            }
            liveUnplaced = new long[times];
            for (int i = 0; i < n; i++) {
                for (int t = first[i]; t <= last[i]; t++) {
                    liveUnplaced[t - lo] += size[i];
                }
            }
            off = new long[n];
            placed = new boolean[n];
            blockStart = new long[n][n];
            blockEnd = new long[n][n];
            blocks = new int[n];
            best = incumbent.size();
            bestOff = incumbent.offsets().stream().mapToLong(Long::longValue).toArray();
        }

        void run() {
            int empty = 0;
            for (int i = 0; i < n; i++) {
                if (size[i] == 0) { // an empty buffer fits anywhere: at 0, out of the search
                    placed[i] = true;
                    off[i] = 0;
                    empty++;
                }
            }
            dfs(0, -1, 0, empty);
        }

        Plan bestPlan() {
            return Plan.of(buffers, bestOff);
        }

        private long lowestFree(int b) {
            long cand = 0;
            for (int k = 0; k < blocks[b]; k++) {
                if (blockStart[b][k] - cand >= size[b]) {
                    return cand;
                }
                cand = Math.max(cand, blockEnd[b][k]);
            }
            return cand;
        }

        private void dfs(long level, int lastId, long peak, int count) {
            if (exhausted) {
                return;
            }
            if (nodes >= budget) {
                exhausted = true;
                return;
            }
            nodes++;
            if (count == n) {
                if (peak < best) {
                    best = peak;
                    bestOff = off.clone();
                }
                return;
            }
            long[] free = new long[n];
            long bound = peak;
            for (int b = 0; b < n; b++) {
                if (!placed[b]) {
                    free[b] = lowestFree(b);
                    bound = Math.max(bound, Math.max(level, free[b]) + size[b]);
                }
            }
            long[] above = new long[times];
            for (int p = 0; p < n; p++) {
                if (placed[p] && off[p] + size[p] > level) {
                    long part = off[p] + size[p] - Math.max(off[p], level);
                    for (int t = first[p]; t <= last[p]; t++) {
                        above[t - lo] += part;
                    }
                }
            }
            for (int t = 0; t < times; t++) {
                if (liveUnplaced[t] > 0) {
                    bound = Math.max(bound, level + liveUnplaced[t] + above[t]);
                }
            }
            if (bound >= best) {
                return;
            }
            List<Integer> cands = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                if (placed[b] || (twin[b] >= 0 && !placed[twin[b]])) {
                    continue;
                }
                if (free[b] > level || (free[b] == level && b > lastId)) {
                    cands.add(b);
                }
            }
            cands.sort(Comparator.comparingLong((Integer b) -> free[b]).thenComparingLong(b -> -size[b]));
            for (int b : cands) {
                long at = free[b];
                off[b] = at;
                placed[b] = true;
                for (int t = first[b]; t <= last[b]; t++) {
                    liveUnplaced[t - lo] -= size[b];
                }
                for (int c = 0; c < n; c++) {
                    if (!placed[c] && overlap[b][c]) {
                        blockStart[c][blocks[c]] = at;
                        blockEnd[c][blocks[c]++] = at + size[b];
                    }
                }
                dfs(at, b, Math.max(peak, at + size[b]), count + 1);
                for (int c = 0; c < n; c++) {
                    if (!placed[c] && overlap[b][c]) {
                        blocks[c]--;
                    }
                }
                for (int t = first[b]; t <= last[b]; t++) {
                    liveUnplaced[t - lo] += size[b];
                }
                placed[b] = false;
                if (exhausted) {
                    return;
                }
            }
        }
    }

}
