import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Dev tool (not part of the build): runs tinysim's Java reference interpreter on a model and an
 * input file and writes the first output tensor's bytes, for comparison with the C runtime
 * (see compare-java.sh). Usage: RunReference MODEL.tflite INPUT.bin OUTPUT.bin [SEED]
 * With SEED, INPUT.bin is first written with InputGenerator.random(input tensor, SEED).
 */
public final class RunReference {
    public static void main(String[] args) throws Exception {
        TfliteModel model = TfliteReader.read(Path.of(args[0]));
        if (args.length > 3) {
            Files.write(Path.of(args[1]), InputGenerator.random(model.mainSubgraph().inputTensor(0), Long.parseLong(args[3])));
        }
        byte[] input = Files.readAllBytes(Path.of(args[1]));
        List<byte[]> out = ReferenceInterpreter.run(model, List.of(input));
        Files.write(Path.of(args[2]), out.get(0));
    }
}
