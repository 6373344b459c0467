package dev.tinysim.cli;

import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InferenceTextReport;
import dev.tinysim.inference.Kernels;
import dev.tinysim.inference.PlanWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.tinysim.emulator.units.Units.grouped;

/**
 * {@code tinysim plan MODEL.tflite -o OUT.tflite}: writes tinysim's smallest arena plan into the model as TFLite
 * Micro's OfflineMemoryAllocation metadata. Exit 0 written; 64 bad command line; 65 corrupt model; 66 missing file;
 * 72 unsupported model; 73 OUT cannot be written; 93 the runtime reported an error.
 */
@Command(name = "plan", header = "Write tinysim's smallest arena plan into a model (TFLite Micro's offline plan).",
        sortOptions = false,
        description = {"Plan the tensor arena of a model as small as tinysim can (an exact search",
                "on small graphs; the best of several heuristics, with a lower bound, on large",
                "ones) and write the plan into a copy of the model as TFLite Micro's",
                "OfflineMemoryAllocation metadata, which TFLite Micro and tinysim's runtime",
                "honour. The scratch buffers of the chosen --kernels are planned around the fixed",
                "tensors, as TFLite Micro places them. Prints TFLite Micro's plan, the best plan",
                "and a lower bound, and checks that the runtime plans the written model in",
                "exactly the best plan's bytes. The model is otherwise unchanged, byte for byte.",
                "Exit 0: written; 64 bad command line; 65 corrupt model; 66 missing file;",
                "72 unsupported model; 73 OUT cannot be written; 93 the runtime reported an error."})
public final class PlanCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.tflite", description = "The TensorFlow Lite model.")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tflite", required = true,
            description = "Where to write the model with the plan (written to a temporary file and renamed).")
    Path output;

    @Mixin
    BoardOptions boardOptions;

    @Option(names = "--kernels", paramLabel = "KIND",
            description = "int8 kernels whose scratch buffers are planned: ${COMPLETION-CANDIDATES}. Default: simd.")
    Kernels kernels;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "What to print: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    OutputOptions.Format format;

    @Override
    public Integer call() {
        if (output.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new CliException(ExitCode.USAGE, "-o " + output + ": the output must not be the model itself");
        }
        Board board = boardOptions.load();
        byte[] bytes = InferenceRunner.readFile(model);
        ModelRun.refuseReferenceKernels(InferenceRunner.read(bytes, String.valueOf(model.getFileName())),
                String.valueOf(model.getFileName()), kernels);
        PlanWriter.Written w = PlanWriter.plan(bytes, String.valueOf(model.getFileName()), String.valueOf(output),
                board, kernels == null ? Kernels.simd : kernels);
        ReportWriter.writeAtomically(output, w.bytes());
        String rendered = format == OutputOptions.Format.json ? ReportWriter.json(w.report()) : text(w.report());
        ReportWriter.emit(rendered, null, Io.current().out());
        return w.report().result().exitCode();
    }

    private static String text(PlanWriter.Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("tinysim plan: ").append(r.model().file()).append(" (").append(grouped(r.model().bytes())).append(" bytes, ")
                .append(r.model().tensors()).append(" tensors, ").append(r.model().operators()).append(" operators), ")
                .append(r.kernels()).append(" kernels on ").append(r.board()).append('\n');
        PlanWriter.Arena a = r.arena();
        InferenceReport.Arena shown = new InferenceReport.Arena(a.planned(), a.bestPlanned(), a.lowerBound(), a.bestOptimal(), 0,
                a.persistent(), 0, null, 0, "", false);
        sb.append("  plan       ").append(InferenceTextReport.planLine(shown).replace("; tinysim plan writes it into the model", ""))
                .append('\n');
        sb.append("  written    ").append(r.output().file()).append(": ").append(grouped(r.output().bytes())).append(" bytes, offsets of ")
                .append(r.output().offlineTensors()).append(" tensors; the runtime plans it in ").append(grouped(r.output().planned()))
                .append(" bytes (+ ").append(grouped(a.persistent())).append(" persistent)\n");
        if (r.memory() != null) {
            InferenceTextReport.memory(sb, r.memory());
        }
        for (String note : r.notes()) {
            sb.append("  note       ").append(note).append('\n');
        }
        sb.append("  result     ").append(r.result().message()).append('\n');
        return sb.toString();
    }

}
