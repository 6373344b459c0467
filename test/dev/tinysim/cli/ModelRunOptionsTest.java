package dev.tinysim.cli;

import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Options that do not apply to a model run are refused, not ignored. */
class ModelRunOptionsTest {
    private static final String F32 = "firmware-images/models/demo_f32.tflite";
    private static final String INT8 = "firmware-images/models/demo_int8.tflite";

    @Test
    void referenceKernelsOnAFloatModelAreRefused() {
        Cli.Result r = Cli.run("run", "--model", F32, "--kernels", "reference");
        assertEquals(64, r.exitCode());
        assertEquals("tinysim: --kernels reference chooses the int8 kernels; demo_f32.tflite is a float32 model, whose float kernels "
                + "have one variant\n", r.err());
        assertEquals("", r.out());
        assertEquals(0, Cli.run("run", "--model", INT8, "--kernels", "reference").exitCode());
    }

    @Test
    void firmwareInstrumentationIsRefusedWithAModel() {
        for (String[] option : new String[][] {{"--trace", "10"}, {"--strict"}}) {
            String[] args = new String[3 + option.length];
            args[0] = "run";
            args[1] = "--model";
            args[2] = INT8;
            System.arraycopy(option, 0, args, 3, option.length);
            Cli.Result r = Cli.run(args);
            assertEquals(64, r.exitCode(), option[0]);
            assertEquals("tinysim: " + option[0] + " applies to FIRMWARE runs; it is not available with --model\n", r.err());
        }
    }
}
