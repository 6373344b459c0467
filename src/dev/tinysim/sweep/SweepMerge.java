package dev.tinysim.sweep;

import java.util.ArrayList;
import java.util.List;

/** {@link Sweep#merge}: the outputs of the shards of one sweep joined into what one machine gives. */
final class SweepMerge {
    private SweepMerge() {
    }

    static List<SweepReport.Row> merge(List<String> names, List<List<SweepReport.Row>> outputs) {
        List<SweepReport.Row> first = outputs.get(0);
        for (int k = 1; k < outputs.size(); k++) {
            List<SweepReport.Row> o = outputs.get(k);
            if (o.size() != first.size()) {
                throw new IllegalArgumentException(names.get(k) + " has " + o.size() + " rows and " + names.get(0) + " " + first.size()
                        + ": not shards of one sweep");
            }
            for (int i = 0; i < o.size(); i++) {
                if (!Sweep.key(o.get(i)).equals(Sweep.key(first.get(i)))) {
                    throw new IllegalArgumentException(names.get(k) + " row " + (i + 1) + " (" + describe(o.get(i)) + ") is not "
                            + names.get(0) + "'s (" + describe(first.get(i)) + "): not shards of one sweep");
                }
            }
        }
        List<SweepReport.Row> rows = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            SweepReport.Row found = null;
            for (List<SweepReport.Row> o : outputs) {
                if (!Sweep.OTHER_SHARD.equals(o.get(i).result().kind())) {
                    found = o.get(i);
                    break;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("row " + (i + 1) + " (" + describe(first.get(i)) + ") is in no file: a shard is missing");
            }
            rows.add(found);
        }
        return rows;
    }

    private static String describe(SweepReport.Row r) {
        return r.model() + (r.configuration() == null ? "" : " " + r.configuration()) + " on " + r.board();
    }
}
