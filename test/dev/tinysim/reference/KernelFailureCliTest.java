package dev.tinysim.reference;

import dev.tinysim.support.Cli;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kernel that fails at run time (int8 RSQRT of a value below its zero point, as TFLM's Eval does) stops
 * both sides with the runtime's error: the firmware with kernel-failure, the reference interpreter's
 * accuracy pass of {@code compare} with one line and exit 93, not an internal error.
 */
class KernelFailureCliTest {

    @Test
    void compareReportsTheReferencesKernelFailureAsARuntimeError(@TempDir Path dir) throws Exception {
        ModelBuilder q = new ModelBuilder();
        int in = q.addTensor("in", TensorType.INT8, new int[] {1, 8}, Quantization.perTensor(0.01f, 0));
        int out = q.addTensor("out", TensorType.INT8, new int[] {1, 8}, Quantization.perTensor(0.1f, 0));
        q.addOperator(BuiltinOperator.RSQRT, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
        Path int8 = Files.write(dir.resolve("rsqrt_int8.tflite"), q.inputs(in).outputs(out).toBytes());
        ModelBuilder f = new ModelBuilder();
        int fi = f.addTensor("in", TensorType.FLOAT32, new int[] {1, 8});
        int fo = f.addTensor("out", TensorType.FLOAT32, new int[] {1, 8});
        f.addOperator(BuiltinOperator.RSQRT, BuiltinOptions.NONE, new int[] {fi}, new int[] {fo});
        Path f32 = Files.write(dir.resolve("rsqrt_f32.tflite"), f.inputs(fi).outputs(fo).toBytes());

        Cli.Result r = Cli.run("compare", "--float", f32.toString(), "--int8", int8.toString(), "--inputs", "2");
        assertEquals(93, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("tinysim: RSQRT (operator 0): input "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        Cli.Result run = Cli.run("run", "--model", int8.toString());
        assertEquals(93, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("error 31 (kernel-failure) at operator 0 (RSQRT)"), run.out());
    }
}
