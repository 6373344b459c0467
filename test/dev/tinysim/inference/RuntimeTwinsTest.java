package dev.tinysim.inference;

import dev.tinysim.cli.ExitCode;
import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C runtime and the Java side are twins: the runtime's limits and the schema numbers it reads by name
 * ({@code firmware-images/runtime/ts_runtime.h}, {@code tflite_schema.h}) must be the ones the Java reader and
 * pre-check use. The headers are read here, so neither side can drift without this test failing. (The operator
 * table has its own twin test, {@code OperatorCoverageTest}; the error codes theirs, {@code RuntimeErrorTest}.)
 */
class RuntimeTwinsTest {
    private static final Path RUNTIME = Path.of("firmware-images", "runtime");
    private static final Pattern ENUM_ENTRY = Pattern.compile("\\b([A-Z][A-Z0-9_]*)\\s*=\\s*(\\d+)");

    /** Every {@code NAME = number} of the enums of tflite_schema.h. */
    static Map<String, Integer> schemaHeader() throws IOException {
        String text = Files.readString(RUNTIME.resolve("tflite_schema.h")).replaceAll("(?s)/\\*.*?\\*/", "");
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher e = Pattern.compile("(?s)enum\\s*\\{(.*?)\\}").matcher(text);
        while (e.find()) {
            Matcher m = ENUM_ENTRY.matcher(e.group(1));
            while (m.find()) {
                out.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return out;
    }

    @Test
    void theJavaPreCheckHasTheRuntimesLimits() throws IOException {
        String header = Files.readString(RUNTIME.resolve("ts_runtime.h"));
        Map<String, Integer> defines = new LinkedHashMap<>();
        Matcher m = Pattern.compile("#define\\s+(TS_MAX_\\w+)\\s+(\\d+)").matcher(header);
        while (m.find()) {
            defines.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertEquals(Map.of("TS_MAX_RANK", RuntimeLimits.MAX_RANK, "TS_MAX_TENSORS", RuntimeLimits.MAX_TENSORS,
                        "TS_MAX_OPERATORS", RuntimeLimits.MAX_OPERATORS, "TS_MAX_OP_INPUTS", RuntimeLimits.MAX_OP_INPUTS,
                        "TS_MAX_SCRATCH", defines.get("TS_MAX_SCRATCH")),
                defines, "ts_runtime.h's limits (TS_MAX_SCRATCH is internal to an operator's prepare)");
    }

    private static byte[] reluOfRank(int rank) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[rank - 1] = 2;
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, shape);
        int out = b.addTensor("out", TensorType.FLOAT32, shape);
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
    }

    /** A rank the runtime refuses is refused by Java first (exit 72, naming the tensor); the firmware agrees on the limit. */
    @Test
    void aRankOverTheRuntimesLimitIsRefusedBeforeTheRun() {
        InferenceOptions options = InferenceOptions.of(FirmwareRuns.board(true), Kernels.simd, 1, null);
        byte[] over = reluOfRank(RuntimeLimits.MAX_RANK + 1);
        FailureException e = assertThrows(FailureException.class, () -> InferenceRunner.check(over, "r7.tflite"));
        assertEquals(Failure.UNSUPPORTED_MODEL, e.kind());
        assertEquals(72, ExitCode.of(e.kind()).code());
        assertEquals("r7.tflite: subgraph 0 tensor 0 (in) has rank 7; the inference runtime supports at most 6", e.getMessage());
        InferenceReport.Result firmware = InferenceRunner.runUnchecked(over, "r7.tflite", options).report().result();
        assertEquals(RuntimeError.BAD_SHAPE.code(), firmware.runtimeError().code(), firmware.message());

        InferenceRunner.Outcome atLimit = InferenceRunner.run(reluOfRank(RuntimeLimits.MAX_RANK), "r6.tflite", options);
        assertEquals(0, atLimit.exitCode(), atLimit.report().result().message());
    }

    /** Java's BuiltinOptions union numbers and TensorType codes equal the header's OPT_ and TFL_ values, by name. */
    @Test
    void unionAndTypeNumbersAgree() throws Exception {
        Map<String, Integer> h = schemaHeader();
        int checked = 0;
        for (Field f : BuiltinOptions.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                String c = "OPT_" + f.getName().replace("_2D", "2D");
                if (h.containsKey(c)) {
                    assertEquals(h.get(c), f.getInt(null), f.getName() + " vs " + c);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 35, "matched only " + checked + " OPT_ values by name");
        checked = 0;
        for (TensorType t : TensorType.values()) {
            String c = "TFL_" + t.name();
            if (h.containsKey(c)) {
                assertEquals(h.get(c), t.code(), t + " vs " + c);
                checked++;
            }
        }
        String types = Files.readString(RUNTIME.resolve("tflite_schema.h")).split("/\\* enum TensorType \\*/", 2)[1];
        long inHeader = ENUM_ENTRY.matcher(types.substring(0, types.indexOf('}'))).results().count();
        assertTrue(inHeader >= 9, "parsed the TensorType enum of tflite_schema.h");
        assertEquals(inHeader, checked, "every type of the header's TensorType enum has a TensorType of the same name");
    }

    /** A field the Java reader reads: its table (the C name's prefix), number and schema name. */
    record Use(String table, int field, String name) {
    }

    private static final Map<String, String> READER_METHODS = Map.of("readModel", "MODEL", "readOperatorCode", "OPCODE",
            "readBuffer", "BUFFER", "readMetadata", "METADATA", "readSubgraph", "SUBGRAPH", "readTensor", "TENSOR",
            "readQuantization", "QUANT", "readOperator", "OP");
    private static final Map<String, String> OPTION_TABLES = Map.ofEntries(Map.entry("CONV_2D", "CONV"),
            Map.entry("DEPTHWISE_CONV_2D", "DW"), Map.entry("POOL_2D", "POOL"), Map.entry("FULLY_CONNECTED", "FC"),
            Map.entry("SOFTMAX", "SOFTMAX"), Map.entry("CONCATENATION", "CONCAT"), Map.entry("ADD", "ADD"),
            Map.entry("MUL", "MUL"), Map.entry("REDUCER", "REDUCER"), Map.entry("SUB", "SUB"), Map.entry("DIV", "DIV"),
            Map.entry("SVDF", "SVDF"), Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM", "LSTM"), Map.entry("GATHER", "GATHER"),
            Map.entry("SQUEEZE", "SQUEEZE"), Map.entry("SPLIT", "SPLIT"), Map.entry("STRIDED_SLICE", "STRIDED_SLICE"),
            Map.entry("CAST", "CAST"), Map.entry("ARG_MAX", "ARG_MAX"), Map.entry("TRANSPOSE_CONV", "TRANSPOSE_CONV"),
            Map.entry("PACK", "PACK"), Map.entry("UNPACK", "UNPACK"), Map.entry("LEAKY_RELU", "LEAKY_RELU"),
            Map.entry("RESIZE_NEAREST_NEIGHBOR", "RESIZE"), Map.entry("BATCH_MATMUL", "BATCH_MATMUL"));
    /** Where the C header's short names differ from the schema's. */
    private static final Map<String, String> C_NAMES = Map.of("fused_activation_function", "ACTIVATION",
            "dilation_w_factor", "DILATION_W", "dilation_h_factor", "DILATION_H", "filter_width", "FILTER_W",
            "filter_height", "FILTER_H", "asymmetric_quantize_inputs", "ASYMMETRIC_INPUTS",
            "diagonal_recurrent_tensors", "DIAGONAL_RECURRENT", "in_data_type", "IN_TYPE", "out_data_type", "OUT_TYPE",
            "quantized_bias_type", "BIAS_TYPE");
    /** {@code x(12, ..., "name")}: a read of field 12 named "name"; padding and activation helpers name theirs. */
    private static final Pattern READ = Pattern.compile(
            "\\b(?:u8|u32|i8|i32|i64|f32|bool|string|intVector|floatVector|longVector|tableVector|table|vector|readTables|ints)"
                    + "\\((?:t,\\s*|model,\\s*)?(\\d+),[^;]*?\"([a-z_.]+)\"");
    private static final Pattern HELPER = Pattern.compile("\\b(padding|activation)\\(fb, t, (\\d+)\\)");

    static List<Use> readerUses() throws IOException {
        String reader = Files.readString(Path.of("src/dev/tinysim/tflite/TfliteReader.java"));
        List<Use> out = new ArrayList<>();
        Matcher method = Pattern.compile("\\n    private \\S+(?: \\S+)? (read\\w+)\\(").matcher(reader);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (method.find()) {
            spans.add(new int[]{method.start()});
            names.add(method.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            String table = READER_METHODS.get(names.get(i));
            if (table == null) {
                continue;
            }
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : reader.length();
            Matcher m = READ.matcher(reader.substring(spans.get(i)[0], end));
            while (m.find()) {
                out.add(new Use(table, Integer.parseInt(m.group(1)), m.group(2).replace("quantization.", "")));
            }
        }
        String options = Files.readString(Path.of("src/dev/tinysim/tflite/OptionsParser.java"));
        Matcher arm = Pattern.compile("case BuiltinOptions\\.(\\w+) ->(.*?)(?=case BuiltinOptions\\.|default ->)", Pattern.DOTALL)
                .matcher(options);
        while (arm.find()) {
            String table = OPTION_TABLES.get(arm.group(1));
            if (table == null) {
                continue;   // the header names no field of it (the runtime reads none, or not by name)
            }
            Matcher m = READ.matcher(arm.group(2));
            while (m.find()) {
                out.add(new Use(table, Integer.parseInt(m.group(1)), m.group(2)));
            }
            Matcher h = HELPER.matcher(arm.group(2));
            while (h.find()) {
                out.add(new Use(table, Integer.parseInt(h.group(2)), h.group(1).equals("padding") ? "padding" : "fused_activation_function"));
            }
        }
        return out;
    }

    /** Each field the Java reader reads that the runtime names too has the same number on both sides. */
    @Test
    void schemaFieldNumbersAgree() throws IOException {
        Map<String, Integer> h = schemaHeader();
        List<Use> uses = readerUses();
        List<String> mismatches = new ArrayList<>();
        int matched = 0;
        for (Use u : uses) {
            String c = u.table() + "_" + C_NAMES.getOrDefault(u.name(), u.name().toUpperCase(Locale.ROOT));
            Integer number = h.get(c);
            if (number == null) {
                continue;   // a field the runtime does not read by name (shape_signature, has_rank, new_shape, ...)
            }
            matched++;
            if (number != u.field()) {
                mismatches.add(u + " but " + c + " = " + number);
            }
        }
        assertEquals(List.of(), mismatches);
        // every table the runtime reads is covered, and most of its fields
        for (String table : READER_METHODS.values()) {
            assertTrue(uses.stream().anyMatch(u -> u.table().equals(table)), "no field of " + table + " found in TfliteReader");
        }
        assertTrue(matched >= 80, "matched only " + matched + " of " + uses.size() + " reads to header names: " + uses);
    }
}
