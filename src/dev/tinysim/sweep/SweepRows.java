package dev.tinysim.sweep;

import dev.tinysim.compare.Measurement;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.inference.InferenceReport;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.ModelTable;

import java.util.List;

/**
 * The rows of a sweep ({@link Sweep}): a configuration that ran, one that failed (or a model that cannot run), one left
 * to another shard; and the configuration's name as rows give it.
 */
final class SweepRows {
    private SweepRows() {
    }

    /** The configuration as rows name it (a hybrid model's float rows: hybrid-fpu, hybrid-soft); null stays null. */
    static String displayName(Sweep.Parsed p, String configuration) {
        return configuration == null ? null : ModelTable.configurationName(p.info().precision(), configuration);
    }

    /** A row another shard measures: its measurement columns empty. */
    static SweepReport.Row placeholder(Sweep.Parsed p, Sweep.Job j, Sweep.Shard shard) {
        Board b = j.runsOn();
        return new SweepReport.Row(p.info().file(), p.info().path(), p.info().precision(), p.info().macs(), j.board().board().name(),
                displayName(p, j.configuration()), b == null ? null : b.name(), b == null ? null : b.cpu().fpu(), b == null ? null : b.cpu().clockHz(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                new Measurement.Result(Sweep.OTHER_SHARD, 0, "measured by another shard than " + shard), List.of());
    }

    /** Every output of a run, back to back (the SHA-256 of a row covers them all). */
    private static byte[] concat(List<byte[]> outputs) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        outputs.forEach(b::writeBytes);
        return b.toByteArray();
    }

    /** The row of a configuration that ran. */
    static SweepReport.Row row(Sweep.Parsed p, Sweep.Job j, InferenceRunner.Outcome out) {
        InferenceReport r = out.report();
        Board b = j.runsOn();
        String name = ModelTable.configurationName(p.info().precision(), j.configuration());
        Measurement m = Measurement.of(name, name, p.info().file(), b.name(), b.cpu().fpu(), r);
        boolean measured = m.measured();
        byte[] output = out.outputs().isEmpty() ? null : concat(out.outputs().get(out.outputs().size() - 1));
        Double perMac = r.latency() == null ? null : r.latency().cyclesPerMac();
        return new SweepReport.Row(p.info().file(), p.info().path(), p.info().precision(), p.info().macs(), j.board().board().name(),
                name, b.name(), b.cpu().fpu(), b.cpu().clockHz(), m.runtime(), m.abi(), m.kernels(),
                measured ? m.cycles() : null, measured ? m.milliseconds() : null, perMac, m.flash(), m.ram(), m.fits(), m.measuredOn(),
                m.argmax(), output == null ? null : Sweep.sha256(output), m.instructions(), m.wallSeconds(), m.result(), m.operators());
    }

    /** The row of a configuration (or, configuration null, a model) that failed: its result only. */
    static SweepReport.Row failed(Sweep.Parsed p, Sweep.BoardChoice b, String configuration, Board runsOn, String kind, int code,
                                  String message) {
        return new SweepReport.Row(p.info().file(), p.info().path(), p.info().precision(), p.info().macs(), b.board().name(),
                configuration == null ? null : ModelTable.configurationName(p.info().precision(), configuration),
                runsOn == null ? null : runsOn.name(), runsOn == null ? null : runsOn.cpu().fpu(),
                runsOn == null ? null : runsOn.cpu().clockHz(), null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, new Measurement.Result(kind, code, message), List.of());
    }
}
