package dev.tinysim.inference;

import dev.tinysim.plan.Scratch;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TFLite Micro's arena plan of a one-subgraph model, derived here from TFLite Micro's published sources without
 * using tinysim's planner (dev.tinysim.plan) or runtime: the expected figure of {@link ArenaPlanTest}. The rules, in
 * the order TFLite Micro applies them:
 * <ol>
 *   <li><b>What is planned</b> (allocation_info.cc, {@code InitializeAllocationInfo}): every tensor without constant
 *       data, not a variable (variables are persistent, outside the plan) and of non-zero size, in tensor index order,
 *       then every scratch buffer request, in request order (the operators' Prepare calls, operator order). A tensor
 *       read but never written nor a graph input is read-only and not planned ({@code ValidateSubgraph}).</li>
 *   <li><b>Lifetimes</b> ({@code MarkAllocationLifetimes}): the scope counter starts at 0 and operator i runs in
 *       scope i + 1. Graph inputs are created at 0 (and used at least at 0); an operator's outputs are created at
 *       its scope (if not created before) and used at it; its inputs are used at its scope (last use = the latest);
 *       graph outputs are used up to the last scope; a scratch buffer lives exactly in its operator's scope.</li>
 *   <li><b>Sizes</b> (micro_allocation_info.cc / {@code CreatePlan}): bytes rounded up to
 *       {@code MicroArenaBufferAlignment()} = 16.</li>
 *   <li><b>Order</b> (greedy_memory_planner.cc, {@code CalculateOffsetsIfNeeded}): the buffers are written into the
 *       sort array from its tail (the first added at the end), then {@code ReverseSortInPlace}, a bubble sort that
 *       swaps only when strictly smaller: largest first, equal sizes in decreasing order of addition (so scratch
 *       buffers, added after every tensor, come before tensors of their size).</li>
 *   <li><b>Placement</b>: the first buffer at 0; each next one walks the placed buffers in offset order (a newly
 *       placed buffer goes after every placed buffer of the same or lower offset), looking only at those whose
 *       lifetime overlaps its own (inclusive ranges); the candidate offset is the largest end seen so far, and the
 *       buffer goes at the first candidate whose gap to the next overlapping buffer is at least its size, else after
 *       the last one.</li>
 *   <li><b>Arena size</b> ({@code GetMaximumMemorySize}): the largest offset + size of any placed buffer; 0 with
 *       none.</li>
 * </ol>
 *
 * @param arenaBytes    the planned (non-persistent) arena bytes
 * @param tensorOffsets the offset of each planned tensor, by tensor index
 */
record TfliteMicroGreedy(long arenaBytes, Map<Integer, Long> tensorOffsets) {

    private static final long ALIGNMENT = 16;

    private record Req(int tensor, long size, int first, int last) {
    }

    static TfliteMicroGreedy plan(TfliteModel model, List<Scratch> scratch) {
        Subgraph g = model.mainSubgraph();
        int n = g.tensors().size();
        int[] first = new int[n];
        int[] last = new int[n];
        java.util.Arrays.fill(first, -1);
        java.util.Arrays.fill(last, -1);
        int scope = 0;
        for (int t : g.inputs()) {
            first[t] = first[t] == -1 ? scope : first[t];
            last[t] = Math.max(last[t], scope);
        }
        List<Operator> ops = g.operators();
        for (Operator op : ops) {
            scope++;
            for (int t : op.outputs()) {
                first[t] = first[t] == -1 ? scope : first[t];
            }
            for (int t : op.inputs()) {
                if (t >= 0) {
                    last[t] = Math.max(last[t], scope);
                }
            }
            for (int t : op.outputs()) {
                last[t] = Math.max(last[t], scope);
            }
        }
        for (int t : g.outputs()) {
            first[t] = first[t] == -1 ? scope : first[t];
            last[t] = Math.max(last[t], scope);
        }

        List<Req> reqs = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Tensor tensor = g.tensor(t);
            boolean readOnly = first[t] == -1 && last[t] != -1;
            if (model.isConstant(tensor) || tensor.isVariable() || tensor.byteSize() == 0 || readOnly) {
                continue;
            }
            reqs.add(new Req(t, roundUp(tensor.byteSize()), first[t], last[t]));
        }
        for (Scratch s : scratch) {
            reqs.add(new Req(-1, roundUp(s.bytes()), s.operator() + 1, s.operator() + 1));
        }

        // the sort array filled from its tail, then a bubble sort swapping only strictly smaller neighbours
        int count = reqs.size();
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[count - 1 - i] = i;
        }
        boolean swapped;
        do {
            swapped = false;
            for (int i = 1; i < count; i++) {
                if (reqs.get(order[i - 1]).size() < reqs.get(order[i]).size()) {
                    int x = order[i - 1];
                    order[i - 1] = order[i];
                    order[i] = x;
                    swapped = true;
                }
            }
        } while (swapped);

        long[] offset = new long[count];
        List<Integer> byOffset = new ArrayList<>();   // placed buffers, in offset order
        for (int k = 0; k < count; k++) {
            int id = order[k];
            Req want = reqs.get(id);
            long candidate = 0;
            if (k > 0) {
                for (int pos = 0; ; pos++) {
                    while (pos < byOffset.size() && !overlaps(reqs.get(byOffset.get(pos)), want)) {
                        pos++;
                    }
                    if (pos == byOffset.size()) {
                        break;
                    }
                    int next = byOffset.get(pos);
                    if (offset[next] - candidate >= want.size()) {
                        break;
                    }
                    candidate = Math.max(candidate, offset[next] + reqs.get(next).size());
                }
            }
            offset[id] = candidate;
            int at = 0;
            while (at < byOffset.size() && offset[byOffset.get(at)] <= candidate) {
                at++;
            }
            byOffset.add(at, id);
        }
        long size = 0;
        Map<Integer, Long> tensors = new HashMap<>();
        for (int i = 0; i < count; i++) {
            size = Math.max(size, offset[i] + reqs.get(i).size());
            if (reqs.get(i).tensor() >= 0) {
                tensors.put(reqs.get(i).tensor(), offset[i]);
            }
        }
        return new TfliteMicroGreedy(size, tensors);
    }

    private static boolean overlaps(Req a, Req b) {
        return !(a.first() > b.last() || b.first() > a.last());
    }

    private static long roundUp(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
