package dev.tinysim.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code @ts} report lines the inference runtime printed (docs/inference-protocol.md), parsed into
 * records. Lines that do not start with {@code @ts } are ordinary console output and are kept as such;
 * an {@code @ts} line that does not follow the protocol is kept in {@link #malformed()} (a protocol bug,
 * reported, never fatal).
 */
public record RuntimeOutput(RuntimeLine runtime, ModelLine model, PlanLine plan, List<BufferLine> buffers, List<OpLine> ops,
                            List<RunLine> runs, List<OutputLine> outputs, ErrorLine error, DoneLine done,
                            List<String> otherConsole, List<String> malformed) {

    /** {@code @ts runtime version=1 abi=hard|soft kernels=simd|reference} */
    public record RuntimeLine(long version, String abi, String kernels) {
    }

    /** {@code @ts model bytes= tensors= operators= inputs= outputs=} */
    public record ModelLine(long bytes, long tensors, long operators, long inputs, long outputs) {
    }

    /** {@code @ts plan arena= capacity= persistent= offline=} ({@code offline}: tensors an offline plan placed; 0 when absent) */
    public record PlanLine(long arena, long capacity, long persistent, long offline) {
    }

    /**
     * {@code @ts buffer kind=tensor|scratch id= first= last= bytes= offset=}: one planned buffer (allocation times: 0 =
     * the start of the inference, i + 1 = operator i).
     */
    public record BufferLine(String kind, int id, int first, int last, long bytes, long offset) {
    }

    /** {@code @ts op index= code= cycles= macs=}, attributed to the run whose {@code @ts run} line follows. */
    public record OpLine(int run, int index, String code, long cycles, long macs) {
    }

    /** {@code @ts run index= cycles=} */
    public record RunLine(int index, long cycles) {
    }

    /** {@code @ts output index= output= hex=} (only with flags bit 0): graph output {@code output} of run {@code index}. */
    public record OutputLine(int index, int output, String hex) {
        public OutputLine(int index, String hex) {
            this(index, 0, hex);
        }
    }

    /** {@code @ts error code= name= [operator= opcode=] [detail=]} */
    public record ErrorLine(long code, String name, Integer operator, String opcode, String detail) {
        /** The runtime error of this code, if tinysim knows it. */
        public java.util.Optional<RuntimeError> error() {
            return RuntimeError.fromCode(code);
        }
    }

    /** {@code @ts done runs=} */
    public record DoneLine(long runs) {
    }

    /** Parses the console text the runtime printed. */
    public static RuntimeOutput parse(String console) {
        RuntimeLine runtime = null;
        ModelLine model = null;
        PlanLine plan = null;
        List<BufferLine> buffers = new ArrayList<>();
        ErrorLine error = null;
        DoneLine done = null;
        List<OpLine> ops = new ArrayList<>();
        List<OpLine> pending = new ArrayList<>();
        List<RunLine> runs = new ArrayList<>();
        List<OutputLine> outputs = new ArrayList<>();
        List<String> other = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (String raw : console.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (!line.startsWith("@ts ")) {
                if (!line.isEmpty()) {
                    other.add(line);
                }
                continue;
            }
            String[] tokens = line.substring(4).trim().split(" +");
            String kind = tokens[0];
            Map<String, String> f = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 1; i < tokens.length; i++) {
                int eq = tokens[i].indexOf('=');
                if (eq <= 0) {
                    ok = false;
                    break;
                }
                f.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
            }
            try {
                if (!ok) {
                    throw new IllegalArgumentException();
                }
                switch (kind) {
                    case "runtime" -> runtime = new RuntimeLine(num(f, "version"), str(f, "abi"), str(f, "kernels"));
                    case "model" -> model = new ModelLine(num(f, "bytes"), num(f, "tensors"), num(f, "operators"),
                            num(f, "inputs"), num(f, "outputs"));
                    case "plan" -> plan = new PlanLine(num(f, "arena"), num(f, "capacity"), num(f, "persistent"),
                            f.containsKey("offline") ? num(f, "offline") : 0);
                    case "buffer" -> {
                        String k = str(f, "kind");
                        if (!k.equals("tensor") && !k.equals("scratch")) {
                            throw new IllegalArgumentException(k);
                        }
                        buffers.add(new BufferLine(k, (int) num(f, "id"), (int) num(f, "first"), (int) num(f, "last"),
                                num(f, "bytes"), num(f, "offset")));
                    }
                    case "op" -> pending.add(new OpLine(-1, (int) num(f, "index"), str(f, "code"), num(f, "cycles"),
                            num(f, "macs")));
                    case "run" -> {
                        RunLine r = new RunLine((int) num(f, "index"), num(f, "cycles"));
                        runs.add(r);
                        for (OpLine o : pending) {
                            ops.add(new OpLine(r.index(), o.index(), o.code(), o.cycles(), o.macs()));
                        }
                        pending.clear();
                    }
                    case "output" -> outputs.add(new OutputLine((int) num(f, "index"),
                            f.containsKey("output") ? (int) num(f, "output") : 0, str(f, "hex")));
                    case "error" -> error = new ErrorLine(num(f, "code"), str(f, "name"),
                            f.containsKey("operator") ? (int) num(f, "operator") : null, f.get("opcode"), f.get("detail"));
                    case "done" -> done = new DoneLine(num(f, "runs"));
                    default -> throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                malformed.add(line);
            }
        }
        for (OpLine o : pending) {
            malformed.add("@ts op index=" + o.index() + " (no @ts run line follows)");
        }
        return new RuntimeOutput(runtime, model, plan, List.copyOf(buffers), List.copyOf(ops), List.copyOf(runs), List.copyOf(outputs),
                error, done, List.copyOf(other), List.copyOf(malformed));
    }

    /** The scratch requests of the {@code @ts buffer kind=scratch} lines, in request order. */
    public List<dev.tinysim.plan.Scratch> scratch() {
        return buffers.stream().filter(b -> b.kind().equals("scratch"))
                .map(b -> new dev.tinysim.plan.Scratch(b.first() - 1, b.bytes())).toList();
    }

    /** The operator lines of one run, in execution order. */
    public List<OpLine> opsOfRun(int run) {
        return ops.stream().filter(o -> o.run() == run).toList();
    }

    private static long num(Map<String, String> f, String key) {
        String v = f.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key);
        }
        return Long.parseLong(v);   // NumberFormatException is an IllegalArgumentException
    }

    private static String str(Map<String, String> f, String key) {
        String v = f.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key);
        }
        return v;
    }
}
