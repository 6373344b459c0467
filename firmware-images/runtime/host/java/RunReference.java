import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dev tool (not part of the build): runs tinysim's Java reference interpreter on a model and an
 * input file and writes every output tensor's bytes back to back (graph order), for comparison
 * with the C runtime (see compare-java.sh). Usage: RunReference MODEL.tflite INPUT.bin OUTPUT.bin [SEED]
 * INPUT.bin holds every graph input back to back, in graph order. With SEED, INPUT.bin is first
 * written with InputGenerator.random(input tensors, SEED).
 */
public final class RunReference {
    public static void main(String[] args) throws Exception {
        TfliteModel model = TfliteReader.read(Path.of(args[0]));
        var g = model.mainSubgraph();
        List<Tensor> ins = g.inputs().stream().map(g::tensor).toList();
        if (args.length > 3) {
            Files.write(Path.of(args[1]), concat(InputGenerator.random(ins, Long.parseLong(args[3]))));
        }
        byte[] all = Files.readAllBytes(Path.of(args[1]));
        List<byte[]> inputs = new ArrayList<>();
        int pos = 0;
        for (Tensor t : ins) {
            inputs.add(Arrays.copyOfRange(all, pos, pos + t.byteSize()));
            pos += t.byteSize();
        }
        Files.write(Path.of(args[2]), concat(ReferenceInterpreter.run(model, inputs)));
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
