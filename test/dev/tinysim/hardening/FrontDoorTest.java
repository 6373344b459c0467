package dev.tinysim.hardening;

import dev.tinysim.support.Cli;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Defects of issue 12 ("hostile input never gets past the front door"): each input here once ended in an
 * internal error (exit 70), a silent acceptance or a misleading message; each is now refused with the
 * documented exit code and one line naming the file and the problem.
 */
class FrontDoorTest {

    /** FLOAT32 [2] -> RELU -> out, with the graph's input list left empty. */
    static byte[] noInputsModel() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{2});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{2});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{out});
        return b.outputs(out).toBytes();
    }

    @Test
    void fitAndTableRefuseAModelWithNoInputs(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("noinputs.tflite"), noInputsModel());
        for (String command : new String[]{"fit", "table"}) {
            Cli.Result r = Cli.run(command, model.toString());
            assertEquals(65, r.exitCode(), command + ": " + r.err());
            assertEquals("tinysim: noinputs.tflite: subgraph 0 has no inputs\n", r.err(), command);
        }
        Cli.Result run = Cli.run("run", "--model", model.toString());
        assertEquals(65, run.exitCode());
        assertEquals("tinysim: noinputs.tflite: subgraph 0 has no inputs\n", run.err());
    }
}
