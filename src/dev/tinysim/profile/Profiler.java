package dev.tinysim.profile;

import dev.tinysim.emulator.core.CortexM4;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.firmware.Symbolizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Per-function cycles from the ELF symbol table, with a shadow call stack: a block ending in BL/BLX
 * pushes a frame whose return address is the call's fall-through; reaching that address pops it;
 * a jump into another function (a tail call) replaces the top frame; an exception pushes a
 * "[SysTick]"-style frame until its return. The cycles between two block starts belong to the
 * stack as it was at the first one, so the profile adds up exactly to the run's cycles.
 */
public final class Profiler implements CortexM4.BlockListener {
    /** A node of the call tree: one function under one call path. */
    private static final class Node {
        final String function;
        final Node parent;
        final Map<String, Node> children = new HashMap<>();
        long selfCycles;
        long calls;
        /** For a group marker ({@link #groupCallsFrom}): the call's index among the grouping function's calls; else -1. */
        int group = -1;

        Node(String function, Node parent) {
            this.function = function;
            this.parent = parent;
        }

        Node child(String name) {
            return children.computeIfAbsent(name, n -> new Node(n, this));
        }
    }

    private record Frame(Node node, long returnAddress, boolean exception) {
    }

    private final Symbolizer symbols;
    private final Node root = new Node("", null);
    private final List<Frame> stack = new ArrayList<>();
    private final Map<Long, String> functionOfBlock = new HashMap<>();
    private long lastCycles = -1;
    private boolean pendingCall;
    private long pendingReturn;
    private String pendingException;
    private String groupingCaller;
    private Set<String> groupingSkipped = Set.of();
    private int groups;

    public Profiler(Symbolizer symbols) {
        this.symbols = symbols;
    }

    /**
     * Groups the calls made from {@code caller}: every call it makes (except to the functions in {@code skipped}) gets
     * a marker frame above the callee, numbered in call order (0, 1, ...), which {@link #finish(long, String, IntFunction)}
     * names. For the inference runtime: {@code ts_invoke} calls one eval function per operator, so the markers are the
     * operators, and two operators running the same eval function stay apart.
     */
    public Profiler groupCallsFrom(String caller, Set<String> skipped) {
        this.groupingCaller = caller;
        this.groupingSkipped = Set.copyOf(skipped);
        return this;
    }

    private String functionAt(long address) {
        return functionOfBlock.computeIfAbsent(address, a -> {
            String f = symbols.function(a);
            return f == null ? String.format("0x%08x", a) : f;
        });
    }

    private Node top() {
        return stack.isEmpty() ? root : stack.get(stack.size() - 1).node;
    }

    private void account(long cycles) {
        if (lastCycles >= 0 && cycles > lastCycles) {
            top().selfCycles += cycles - lastCycles;
        }
        lastCycles = cycles;
    }

    @Override
    public void onBlock(long address, long cyclesAtStart, long blockCycles, boolean endsInCall, long fallThrough) {
        account(cyclesAtStart);
        String fn = functionAt(address);
        if (pendingException != null) {
            Node marker = top().child(pendingException);
            marker.calls++;
            stack.add(new Frame(marker, -1, true));
            Node handler = marker.child(fn);
            handler.calls++;
            stack.add(new Frame(handler, -1, false));
            pendingException = null;
            pendingCall = false;
        } else if (pendingCall) {
            Node caller = top();
            if (groupingCaller != null && caller.function.equals(groupingCaller) && !groupingSkipped.contains(fn)) {
                // the marker carries the return address, so the callee's return (or a tail call's) pops both
                int index = groups++;
                Node marker = caller.child("\u0000group " + index);
                marker.group = index;
                marker.calls++;
                stack.add(new Frame(marker, pendingReturn, false));
                Node callee = marker.child(fn);
                callee.calls++;
                stack.add(new Frame(callee, -1, false));
            } else {
                Node callee = caller.child(fn);
                callee.calls++;
                stack.add(new Frame(callee, pendingReturn, false));
            }
            pendingCall = false;
        } else {
            // A return: pop to the frame whose return address this is (skipping frames left by longjmp-like exits).
            for (int i = stack.size() - 1; i >= 0; i--) {
                Frame f = stack.get(i);
                if (f.exception) {
                    break;
                }
                if (f.returnAddress == address) {
                    while (stack.size() > i) {
                        stack.remove(stack.size() - 1);
                    }
                    break;
                }
            }
            Node t = top();
            if (t == root) {
                Node first = root.child(fn);
                if (first.calls == 0) {
                    first.calls = 1;
                }
                stack.add(new Frame(first, -1, false));
            } else if (!t.function.equals(fn)) {
                // A jump into another function (tail call, or falling into a local label's function).
                Frame old = stack.remove(stack.size() - 1);
                Node replaced = (old.node.parent == null ? root : old.node.parent).child(fn);
                replaced.calls++;
                stack.add(new Frame(replaced, old.returnAddress, old.exception));
            }
        }
        if (endsInCall) {
            pendingCall = true;
            pendingReturn = fallThrough;
        }
    }

    @Override
    public void onExceptionEntry(int exception, long cycles) {
        account(cycles);
        pendingException = "[" + ExceptionNumbers.name(exception) + "]";
        pendingCall = false;
    }

    @Override
    public void onExceptionReturn(long cycles) {
        account(cycles);
        for (int i = stack.size() - 1; i >= 0; i--) {
            if (stack.get(i).exception) {
                while (stack.size() > i) {
                    stack.remove(stack.size() - 1);
                }
                break;
            }
        }
        pendingCall = false;
    }

    /** Ends the profile at the run's final cycle count. */
    public ProfileReport finish(long totalCycles) {
        account(totalCycles);
        Map<String, long[]> flat = new LinkedHashMap<>();   // function -> {self, inclusive, calls}
        List<ProfileReport.Stack> folded = new ArrayList<>();
        walk(root, new ArrayList<>(), flat, folded, i -> "group " + i);
        return report(totalCycles, flat, folded);
    }

    /**
     * Ends the profile at the run's final cycle count and keeps only the time spent inside {@code function} (every call
     * of it, from any caller, merged): its stacks start at {@code function}, and the report's total is that time.
     * Group markers ({@link #groupCallsFrom}) are named by {@code groupNames}.
     */
    public ProfileReport finish(long totalCycles, String function, IntFunction<String> groupNames) {
        account(totalCycles);
        Map<String, long[]> flat = new LinkedHashMap<>();
        List<ProfileReport.Stack> folded = new ArrayList<>();
        List<Node> tops = new ArrayList<>();
        findOutermost(root, function, tops);
        long total = 0;
        Node merged = new Node("", null);
        for (Node top : tops) {
            total += inclusive(top);
            merge(top, merged.child(function));
        }
        walk(merged, new ArrayList<>(), flat, folded, groupNames);
        return report(total, flat, folded);
    }

    private static void findOutermost(Node node, String function, List<Node> found) {
        for (Node c : node.children.values()) {
            if (c.function.equals(function)) {
                found.add(c);
            } else {
                findOutermost(c, function, found);
            }
        }
    }

    private static void merge(Node from, Node into) {
        into.selfCycles += from.selfCycles;
        into.calls += from.calls;
        into.group = from.group;
        for (Node c : from.children.values()) {
            merge(c, into.child(c.function));
        }
    }

    private static ProfileReport report(long totalCycles, Map<String, long[]> flat, List<ProfileReport.Stack> folded) {
        List<ProfileReport.Function> functions = new ArrayList<>();
        for (var e : flat.entrySet()) {
            functions.add(new ProfileReport.Function(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
        }
        functions.sort((a, b) -> Long.compare(b.selfCycles(), a.selfCycles()));
        folded.sort((a, b) -> a.stack().compareTo(b.stack()));
        return new ProfileReport(totalCycles, functions, folded);
    }

    private static void walk(Node node, List<String> path, Map<String, long[]> flat, List<ProfileReport.Stack> folded,
                             IntFunction<String> groupNames) {
        if (node != null && node.parent != null) {
            path.add(node.group >= 0 ? groupNames.apply(node.group) : node.function);
            long inclusive = inclusive(node);
            long[] f = flat.computeIfAbsent(path.get(path.size() - 1), k -> new long[3]);
            f[0] += node.selfCycles;
            f[2] += node.calls;
            // Inclusive time counts a function once per path even when it recurses.
            if (!path.subList(0, path.size() - 1).contains(path.get(path.size() - 1))) {
                f[1] += inclusive;
            }
            if (node.selfCycles > 0) {
                folded.add(new ProfileReport.Stack(String.join(";", path), node.selfCycles));
            }
        }
        for (Node c : node.children.values()) {
            walk(c, path, flat, folded, groupNames);
        }
        if (node != null && node.parent != null) {
            path.remove(path.size() - 1);
        }
    }

    private static long inclusive(Node node) {
        long sum = node.selfCycles;
        for (Node c : node.children.values()) {
            sum += inclusive(c);
        }
        return sum;
    }

    /** Names seen, for tests. */
    Set<String> functionsSeen() {
        return new HashSet<>(functionOfBlock.values());
    }
}
