package dev.tinysim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same model, board and configuration give the same cycles in {@code run --model}, {@code fit}, {@code table},
 * {@code sweep} and {@code compare}: they run the same default input (named "default (seed 1)" in every report), and name
 * the configurations alike (a hybrid model's float rows are hybrid-fpu and hybrid-soft everywhere).
 */
class OneFigurePerConfigurationTest {
    private static final String INT8 = Models.DIR.resolve("kws_ref_model.tflite").toString();
    private static final String HYBRID = Models.DIR.resolve("kws_ref_model_float32.tflite").toString();

    private static JsonNode json(Cli.Result r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private static long runCycles(String... args) throws IOException {
        String[] all = new String[args.length + 3];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--format";
        all[args.length + 2] = "json";
        JsonNode j = json(Cli.run(all));
        assertEquals("default (seed 1)", j.at("/input/source").asText());
        return j.at("/runs/0/cycles").asLong();
    }

    @Test
    void runFitTableSweepAndCompareGiveOneFigurePerConfiguration() throws IOException {
        // run --model: the reference figures, configuration by configuration
        Map<String, Long> run = new LinkedHashMap<>();
        run.put("kws_ref_model.tflite int8-simd", runCycles("--model", INT8));
        run.put("kws_ref_model.tflite int8-reference", runCycles("--model", INT8, "--kernels", "reference"));
        run.put("kws_ref_model_float32.tflite hybrid-fpu", runCycles("--model", HYBRID));
        run.put("kws_ref_model_float32.tflite hybrid-soft", runCycles("--model", HYBRID, "--no-fpu"));
        long int8NoFpu = runCycles("--model", INT8, "--no-fpu");

        // table
        JsonNode table = json(Cli.run("table", INT8, HYBRID, "--format", "json"));
        assertTrue(table.get("input").asText().startsWith("default (seed 1)"), table.get("input").asText());
        Map<String, Long> tabled = new LinkedHashMap<>();
        for (JsonNode row : table.get("rows")) {
            tabled.put(row.get("model").asText() + " " + row.get("configuration").asText(), row.get("cycles").asLong());
        }
        assertEquals(run, tabled);

        // sweep
        JsonNode sweep = json(Cli.run("sweep", INT8, HYBRID, "--format", "json"));
        assertTrue(sweep.get("input").asText().startsWith("default (seed 1)"), sweep.get("input").asText());
        Map<String, Long> swept = new LinkedHashMap<>();
        for (JsonNode row : sweep.get("rows")) {
            assertEquals("nrf52840", row.get("board").asText());
            swept.put(row.get("model").asText() + " " + row.get("configuration").asText(), row.get("cycles").asLong());
        }
        assertEquals(run, swept);

        // compare (no dataset: the default input, not generated input 0 dequantized)
        JsonNode compare = json(Cli.run("compare", "--float", HYBRID, "--int8", INT8, "--format", "json"));
        assertTrue(compare.get("input").asText().startsWith("input default (seed 1)"), compare.get("input").asText());
        Map<String, Long> compared = new LinkedHashMap<>();
        for (JsonNode row : compare.get("configurations")) {
            String id = row.get("id").asText();
            compared.put((id.startsWith("int8") ? "kws_ref_model.tflite " : "kws_ref_model_float32.tflite ") + id, row.get("cycles").asLong());
        }
        assertEquals(run, compared);
        assertEquals("hybrid-fpu", compare.get("baseline").asText());
        assertTrue(compare.at("/accuracy/deviceBitExact").asBoolean(), compare.toString());

        // fit: with the FPU and on the FPU-less configuration
        JsonNode fitInt8 = json(Cli.run("fit", INT8, "--format", "json"));
        assertEquals("default (seed 1)", fitInt8.get("input").asText());
        assertEquals(run.get("kws_ref_model.tflite int8-simd"), fitInt8.at("/configurations/0/cycles").asLong());
        assertEquals(int8NoFpu, fitInt8.at("/configurations/1/cycles").asLong());
        JsonNode fitHybrid = json(Cli.run("fit", HYBRID, "--format", "json"));
        assertEquals("fpu", fitHybrid.at("/configurations/0/id").asText());
        assertEquals(run.get("kws_ref_model_float32.tflite hybrid-fpu"), fitHybrid.at("/configurations/0/cycles").asLong());
        assertEquals("no-fpu", fitHybrid.at("/configurations/1/id").asText());
        assertEquals(run.get("kws_ref_model_float32.tflite hybrid-soft"), fitHybrid.at("/configurations/1/cycles").asLong());
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        String f32 = "firmware-images/models/demo_f32.tflite";
        String message = "tinysim: --kernels reference chooses the int8 kernels; demo_f32.tflite is a float32 model, whose float "
                + "kernels have one variant\n";
        Cli.Result plan = Cli.run("plan", f32, "-o", "/tmp/never-written.tflite", "--kernels", "reference");
        assertEquals(64, plan.exitCode());
        assertEquals(message, plan.err());
        Cli.Result validate = Cli.run("validate", f32, "--dataset", "firmware-images/models/demo_f32.tflite", "--kernels", "reference");
        assertEquals(64, validate.exitCode());
        assertEquals(message, validate.err());
        Cli.Result hybrid = Cli.run("run", "--model", HYBRID, "--kernels", "reference");
        assertEquals(64, hybrid.exitCode());
        assertEquals("tinysim: --kernels reference chooses the int8 kernels; kws_ref_model_float32.tflite is a hybrid model, whose "
                + "float kernels have one variant\n", hybrid.err());
    }
}
