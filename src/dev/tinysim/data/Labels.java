package dev.tinysim.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * True classes from text (a .csv label column, a labels file, folder names): integers are class indices as they
 * are; anything else is a class name, numbered in sorted order (as Keras' {@code image_dataset_from_directory}
 * numbers class folders).
 */
final class Labels {
    private Labels() {
    }

    /**
     * @param indices one class index per label
     * @param names   class names by index, or null when the labels were indices
     */
    record Classes(int[] indices, List<String> names) {
    }

    static Classes classify(List<String> raw) {
        boolean numeric = raw.stream().allMatch(s -> s.strip().matches("\\d+"));
        int[] idx = new int[raw.size()];
        if (numeric) {
            for (int i = 0; i < idx.length; i++) {
                idx[i] = parseIndex(raw.get(i).strip());
            }
            return new Classes(idx, null);
        }
        List<String> names = sortedNames(raw);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = names.indexOf(raw.get(i).strip());
        }
        return new Classes(idx, names);
    }

    /** Distinct names, sorted. */
    static List<String> sortedNames(List<String> raw) {
        TreeSet<String> set = new TreeSet<>();
        for (String s : raw) {
            set.add(s.strip());
        }
        return new ArrayList<>(set);
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;   // reported as "not a class of the model" when bound
        }
    }

    /** Labels stored as numbers (an .npy array): integral values, or one-hot rows ([N, classes]: argmax). */
    static int[] fromArray(NpyReader.Array a, String name) {
        float[] v = a.values();
        if (a.shape().size() == 2 && a.shape().get(1) > 1) {
            int n = a.shape().get(0);
            int k = a.shape().get(1);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (v[i * k + j] > v[i * k + best]) {
                        best = j;
                    }
                }
                out[i] = best;
            }
            return out;
        }
        if (a.shape().size() > 1 && a.shape().subList(1, a.shape().size()).stream().anyMatch(d -> d != 1)) {
            throw DataException.corrupt(name, "labels of shape " + Dataset.shape(a.shape())
                    + "; expected one class index per sample ([N]) or one-hot rows ([N, classes])");
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0) {
                throw DataException.corrupt(name, "label " + i + " is " + v[i] + "; labels are class indices 0, 1, 2, …");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** A labels text file with one label per line (a header line "label" is skipped). */
    static Classes fromLines(byte[] bytes, Path file) {
        List<String> raw = new ArrayList<>();
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        for (String line : text.split("\r\n|\n|\r")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.contains(",") || l.contains("\t") || l.contains(";")) {
                throw DataException.corrupt(file, "line '" + dev.tinysim.text.Printable.name(l) + "' has more than one field; a labels file for an array holds "
                        + "one label per line (file,label rows label the files of a folder)");
            }
            raw.add(l.startsWith("\"") && l.endsWith("\"") && l.length() > 1 ? l.substring(1, l.length() - 1) : l);
        }
        if (!raw.isEmpty() && raw.get(0).equalsIgnoreCase("label") || !raw.isEmpty() && raw.get(0).equalsIgnoreCase("labels")) {
            raw.remove(0);
        }
        if (raw.isEmpty()) {
            throw DataException.corrupt(file, "no labels");
        }
        return classify(raw);
    }
}
