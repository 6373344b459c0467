package dev.tinysim.inference;

import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.ReferenceSession;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;

/**
 * What the reference interpreter expects from the runs of one firmware execution: the first output of each
 * run, computed in one {@link ReferenceSession} so that variable tensors (SVDF, LSTM state) carry from run to
 * run as they do in the firmware's persistent arena. For stateless models this equals one fresh invoke per run.
 */
public final class ReferenceRuns {

    private ReferenceRuns() {
    }

    /** The first graph output of every run, in run order. */
    public static List<byte[]> outputs(TfliteModel model, List<byte[]> runInputs) {
        ReferenceSession session = ReferenceInterpreter.prepare(model).newSession();
        List<byte[]> out = new ArrayList<>();
        for (byte[] input : runInputs) {
            out.add(session.invoke(List.of(input)).get(0));
        }
        return out;
    }
}
