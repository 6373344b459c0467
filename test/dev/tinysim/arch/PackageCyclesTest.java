package dev.tinysim.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package structure, checked on the compiled classes (so fully-qualified uses, which no import shows,
 * count too): no cycle between the packages of src/ and emulator/, and nothing in the emulator refers to
 * an application package. Every reference comes from a class file's constant pool: class entries, and the
 * descriptors and generic signatures that name a type (a parameter type used only in a signature counts).
 */
class PackageCyclesTest {
    private static final String ROOT = "dev/tinysim/";
    private static final String EMULATOR = "dev.tinysim.emulator";
    /** A class named inside a descriptor or signature: {@code Ldev/tinysim/x/Y;} or {@code Ldev/tinysim/x/Y<}. */
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L(dev/tinysim/[\\w/$]+)[;<]");

    /** package -> the packages its classes refer to (itself excluded), with one example edge each. */
    static Map<String, Map<String, String>> packageGraph() throws IOException, URISyntaxException {
        Path classes = Path.of(dev.tinysim.cli.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Map<String, String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes.resolve("dev/tinysim"))) {
            files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path f : files) {
            ClassModel cm = ClassFile.of().parse(f);
            String self = cm.thisClass().asInternalName();
            String from = packageOf(self);
            Map<String, String> out = graph.computeIfAbsent(from, k -> new TreeMap<>());
            for (PoolEntry e : cm.constantPool()) {
                List<String> names = new ArrayList<>();
                if (e instanceof ClassEntry c) {
                    String n = c.asInternalName();
                    while (n.startsWith("[")) {
                        n = n.substring(1);
                    }
                    if (n.startsWith("L") && n.endsWith(";")) {
                        n = n.substring(1, n.length() - 1);
                    }
                    names.add(n);
                } else if (e instanceof Utf8Entry u && u.stringValue().contains(ROOT)) {
                    Matcher m = IN_DESCRIPTOR.matcher(u.stringValue());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
                for (String n : names) {
                    if (n.startsWith(ROOT)) {
                        String to = packageOf(n);
                        if (!to.equals(from)) {
                            out.putIfAbsent(to, self.replace('/', '.') + " -> " + n.replace('/', '.'));
                        }
                    }
                }
            }
        }
        return graph;
    }

    private static String packageOf(String internalName) {
        return internalName.substring(0, internalName.lastIndexOf('/')).replace('/', '.');
    }

    /** Strongly connected components of more than one package (Tarjan), each sorted. */
    static List<Set<String>> cycles(Map<String, Map<String, String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void strongConnect(String v, Map<String, Map<String, String>> graph, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                      List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                strongConnect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    /** For a cycle, the edges inside it with an example class reference each, to say what to cut. */
    private static String describe(Set<String> cycle, Map<String, Map<String, String>> graph) {
        StringBuilder sb = new StringBuilder("cycle " + cycle + ":\n");
        for (String p : cycle) {
            graph.getOrDefault(p, Map.of()).forEach((to, example) -> {
                if (cycle.contains(to)) {
                    sb.append("    ").append(example).append('\n');
                }
            });
        }
        return sb.toString();
    }

    @Test
    void noPackageCycles() throws Exception {
        Map<String, Map<String, String>> graph = packageGraph();
        assertTrue(graph.size() > 20, "found the packages of src/ and emulator/: " + graph.keySet());
        List<String> found = cycles(graph).stream().map(c -> describe(c, graph)).toList();
        assertEquals("", String.join("", found));
    }

    @Test
    void emulatorRefersToNoApplicationPackage() throws Exception {
        Map<String, Map<String, String>> graph = packageGraph();
        List<String> violations = new ArrayList<>();
        graph.forEach((from, outs) -> {
            if (from.equals(EMULATOR) || from.startsWith(EMULATOR + ".")) {
                outs.forEach((to, example) -> {
                    if (!to.equals(EMULATOR) && !to.startsWith(EMULATOR + ".")) {
                        violations.add(example);
                    }
                });
            }
        });
        assertEquals(List.of(), violations);
    }

    /** The checker itself finds a cycle and reports each member once (so a pass above means something). */
    @Test
    void findsACycleInASmallGraph() {
        Map<String, Map<String, String>> g = new TreeMap<>();
        g.put("a", new TreeMap<>(Map.of("b", "a.X -> b.Y")));
        g.put("b", new TreeMap<>(Map.of("c", "b.Y -> c.Z")));
        g.put("c", new TreeMap<>(Map.of("a", "c.Z -> a.X")));
        g.put("d", new TreeMap<>(Map.of("a", "d.W -> a.X")));
        assertEquals(List.of(new TreeSet<>(List.of("a", "b", "c"))), cycles(g));
    }
}
