package dev.tinysim.demo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the full recipe of the committed demo models (data, training, export, quantization,
 * evaluation; about 10-30 s) once, and checks that it reproduces firmware-images/models/demo_*.tflite
 * byte for byte. If this fails after an intended change to the recipe, regenerate the files with
 * {@code tinysim make-demo-models} and commit them.
 */
class DemoModelsTest {

    private static DemoModels.Result result;

    @BeforeAll
    static void regenerate() {
        result = DemoModels.make(DemoModels.RECIPE, null);
    }

    @Test
    void regeneratedFilesAreTheCommittedFilesByteForByte() throws IOException {
        List<String> differing = DemoModels.differences(result, DemoModels.DEFAULT_DIR);
        assertTrue(differing.isEmpty(), "regenerated models differ from " + differing
                + " (run `tinysim make-demo-models` after an intended change)");
    }

    @Test
    void sizeIsThatOfASmallCnn() {
        assertEquals(19_716, result.parameters());
        assertEquals(233_088, result.macs());
        assertTrue(result.int8().length > 20_000 && result.int8().length < 40_000, "int8 file " + result.int8().length);
        assertTrue(result.float32().length > 75_000 && result.float32().length < 100_000, "float file " + result.float32().length);
    }

    /** Measured: train 99.2 %, held-out float 97.1 %, int8 97.0 %, agreement 99.9 % (1000 windows). */
    @Test
    void accuracyOfTheRecipesOwnEvaluation() {
        DemoModels.Evaluation e = result.heldOut();
        assertEquals(1000, e.windows());
        assertTrue(result.trainAccuracy() >= 0.97, "train accuracy " + result.trainAccuracy());
        assertTrue(e.floatAccuracy() >= 0.95, "float accuracy " + e.floatAccuracy());
        assertTrue(e.int8Accuracy() >= 0.95, "int8 accuracy " + e.int8Accuracy());
        assertTrue(e.agreement() >= 0.98, "top-1 agreement " + e.agreement());
    }
}
