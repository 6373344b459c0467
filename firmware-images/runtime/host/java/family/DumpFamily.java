package dev.tinysim.differential;

import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Dev tool (not part of the build), for family-ops.sh: writes models of one differential-test family
 * (test/dev/tinysim/differential, e.g. ShapeOperatorCases) as DifferentialTest builds them, their seeded
 * input 0 and the Java reference's output 0, so that the host build of the runtime can be compared with the
 * reference in seconds rather than on the emulated board. The seed of a model is derived from the variant's
 * names, so a run is reproducible (DifferentialTest mixes in Variant.hashCode(), whose enum part changes from
 * one JVM to the next). Per model: NAME.tflite, NAME.in and
 * NAME.out, or NAME.rej when the reference rejects it (then the runtime must reject it too).
 *   DumpFamily DIR FAMILY_CLASS COUNT SEED [VARIANT_FILTER]
 */
public final class DumpFamily {

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        OperatorCases family = (OperatorCases) Class.forName("dev.tinysim.differential." + a[1])
                .getDeclaredConstructor().newInstance();
        int count = Integer.parseInt(a[2]);
        long seed = Long.parseLong(a[3]);
        String filter = a.length > 4 ? a[4] : "";
        Files.createDirectories(dir);
        int accepted = 0;
        int rejected = 0;
        for (Variant v : family.variants()) {
            if (!v.toString().contains(filter)) {
                continue;
            }
            for (int i = 0; i < count; i++) {
                Gen g = new Gen(seed ^ ((v.op().name().hashCode() * 31L + v.type().hashCode()) * 31L + i));
                ModelBuilder b = new ModelBuilder();
                family.build(v, g, b);
                byte[] bytes = b.toBytes();
                String name = v.op() + "-" + v.type() + "-" + i;
                TfliteModel m = TfliteReader.read(bytes, name);
                List<byte[]> in = InputGenerator.random(m.mainSubgraph().inputs().stream()
                        .map(m.mainSubgraph()::tensor).toList(), g.nextLong());
                Files.write(dir.resolve(name + ".tflite"), bytes);
                Files.write(dir.resolve(name + ".in"), in.get(0));
                try {
                    Files.write(dir.resolve(name + ".out"), ReferenceInterpreter.run(m, in).get(0));
                    accepted++;
                } catch (UnsupportedModelException e) {
                    Files.writeString(dir.resolve(name + ".rej"), e.getMessage());
                    rejected++;
                }
            }
        }
        System.out.println(accepted + " models the reference runs, " + rejected + " it rejects");
    }
}
