package dev.tinysim.inference;

import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.ReferenceSession;
import dev.tinysim.tflite.TfliteModel;

import java.util.ArrayList;
import java.util.List;

/**
 * What the reference interpreter expects from the runs of one firmware execution: every output of each run,
 * computed in one {@link ReferenceSession} so that variable tensors (SVDF, LSTM state) carry from run to run as
 * they do in the firmware's persistent arena. For stateless models this equals one fresh invoke per run.
 */
public final class ReferenceRuns {

    private ReferenceRuns() {
    }

    /** Every graph output of every run, in run order, from every run's graph inputs. */
    public static List<List<byte[]>> all(TfliteModel model, List<List<byte[]>> runInputs) {
        ReferenceSession session = ReferenceInterpreter.prepare(model).newSession();
        List<List<byte[]>> out = new ArrayList<>();
        for (List<byte[]> inputs : runInputs) {
            out.add(session.invoke(inputs));
        }
        return out;
    }

    /** Every graph output of every run of a single-input model, from the input of each run. */
    public static List<List<byte[]>> outputs(TfliteModel model, List<byte[]> runInputs) {
        return all(model, runInputs.stream().map(List::of).toList());
    }
}
