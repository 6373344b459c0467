package dev.tinysim.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * TFLite Micro's GreedyMemoryPlanner (tensorflow/lite/micro/memory_planner/greedy_memory_planner.cc),
 * reproduced rule for rule:
 * <ol>
 *   <li>buffers with an offline offset first, at that offset, in the order they were added;</li>
 *   <li>then the others by size, largest first; equal sizes in decreasing order of addition (TFLite Micro
 *       fills its sort array from the back, then sorts it with a stable bubble sort);</li>
 *   <li>each at the lowest offset where it fits: walking the already placed buffers whose lifetime overlaps
 *       its own in offset order, it goes into the first gap at least as large as itself, else after the last
 *       one (first fit).</li>
 * </ol>
 * The plan's size is the highest end of a buffer (GetMaximumMemorySize). The order of the list given is the
 * order of addition (for a model: {@link Lifetimes#of}).
 */
public final class GreedyPlanner {
    private GreedyPlanner() {
    }

    public static Plan plan(List<Buffer> buffers) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).offline()) {
                order.add(i);
            }
        }
        List<Integer> online = new ArrayList<>();
        for (int i = buffers.size() - 1; i >= 0; i--) {
            if (!buffers.get(i).offline()) {
                online.add(i);
            }
        }
        online.sort(Comparator.comparingLong((Integer i) -> buffers.get(i).size()).reversed()); // stable
        order.addAll(online);
        return placeInOrder(buffers, order, false);
    }

    /**
     * Places the buffers in the given order, offline ones at their offset, each online one by first fit (or, with
     * {@code bestFit}, into the smallest gap that holds it) among the placed buffers alive at the same time.
     */
    static Plan placeInOrder(List<Buffer> buffers, List<Integer> order, boolean bestFit) {
        long[] offsets = new long[buffers.size()];
        List<Integer> placed = new ArrayList<>(); // sorted by offset
        for (int i : order) {
            Buffer b = buffers.get(i);
            long at = b.offline() ? b.offlineOffset() : fit(buffers, offsets, placed, b, bestFit);
            offsets[i] = at;
            int k = placed.size();
            while (k > 0 && offsets[placed.get(k - 1)] > at) {
                k--;
            }
            placed.add(k, i);
        }
        return Plan.of(buffers, offsets);
    }

    private static long fit(List<Buffer> buffers, long[] offsets, List<Integer> placed, Buffer b, boolean bestFit) {
        long size = b.size();
        long candidate = 0;
        long best = -1;
        long bestGap = Long.MAX_VALUE;
        for (int j : placed) {
            Buffer o = buffers.get(j);
            if (!o.overlapsInTime(b)) {
                continue;
            }
            long gap = offsets[j] - candidate;
            if (gap >= size) {
                if (!bestFit) {
                    return candidate;
                }
                if (gap < bestGap) {
                    bestGap = gap;
                    best = candidate;
                }
            }
            candidate = Math.max(candidate, offsets[j] + o.size());
        }
        return best >= 0 ? best : candidate;
    }
}
