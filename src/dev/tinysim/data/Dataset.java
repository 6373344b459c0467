package dev.tinysim.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Data read from a file or a folder, before it meets a model: one or more parts (a file's array, or one file of a
 * folder), every value as a float, with optional labels. How the values split into samples is decided against the
 * model's input by {@link Binding} (an array of shape [100, 49, 10] is 100 samples for an input of 490 values).
 *
 * @param source  the file or folder as given
 * @param format  what was read, for people: "npy", "npz array 'x'", "wav, 16-bit PCM at 16000 Hz", …
 * @param type    the element type of the data as stored (images and audio: what they were converted to)
 * @param parts   the arrays, in order (a single file: one part)
 * @param labels  one true class per sample (arrays with --labels or a label column), else null
 * @param classes class names, index = class (from folder names or text labels), else null (classes are the indices)
 * @param codes   the values are int8 codes quantized with these parameters (raw .bin for an int8 input), else null
 * @param notes   anything the user should know about how the data was read (files skipped, pixel scaling…)
 */
public record Dataset(String source, String format, DataType type, List<Part> parts, int[] labels, List<String> classes,
                      Codes codes, List<String> notes) {

    /**
     * One array: a file's values in C order.
     *
     * @param origin the file it came from (a folder's part: its path inside the folder)
     * @param shape  its shape as stored
     * @param values its values
     * @param label  the true class of every sample of this part (folders: the class folder or the labels file), else -1
     */
    public record Part(String origin, List<Integer> shape, float[] values, int label) {
        public Part {
            shape = List.copyOf(shape);
        }
    }

    /** int8 codes: real = scale × (q − zeroPoint). */
    public record Codes(float scale, int zeroPoint) {
    }

    public Dataset {
        parts = List.copyOf(parts);
        classes = classes == null ? null : List.copyOf(classes);
        notes = List.copyOf(notes);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no data");
        }
    }

    /** A dataset of one array. */
    public static Dataset single(String source, String format, DataType type, List<Integer> shape, float[] values) {
        return new Dataset(source, format, type, List.of(new Part(source, shape, values, -1)), null, null, null, List.of());
    }

    public Dataset withLabels(int[] perSample, List<String> names) {
        return new Dataset(source, format, type, parts, perSample, names, codes, notes);
    }

    public Dataset withCodes(Codes c) {
        return new Dataset(source, format, type, parts, labels, classes, c, notes);
    }

    public Dataset withNote(String note) {
        List<String> n = new ArrayList<>(notes);
        n.add(note);
        return new Dataset(source, format, type, parts, labels, classes, codes, n);
    }

    /** Whether the samples have true classes. */
    public boolean labelled() {
        return labels != null || parts.stream().anyMatch(p -> p.label() >= 0);
    }

    /**
     * "[100,49,10]" for one array; "120 files of [32,32,3]" for a folder of equal files, "120 files of 490 values" for
     * files of equal size, "120 files" otherwise.
     */
    public String shapeText() {
        if (parts.size() == 1) {
            return shape(parts.get(0).shape());
        }
        List<Integer> first = parts.get(0).shape();
        int count = parts.get(0).values().length;
        if (parts.stream().allMatch(p -> p.shape().equals(first))) {
            return parts.size() + " files of " + shape(first);
        }
        return parts.size() + " files" + (parts.stream().allMatch(p -> p.values().length == count) ? " of " + count + " values" : "");
    }

    /** "[1,49,10,1]" (no spaces, as NumPy users write shapes in messages). */
    public static String shape(List<Integer> shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(shape.get(i));
        }
        return sb.append(']').toString();
    }

    /** Number of elements of a shape (1 for a scalar). */
    static long elements(List<Integer> shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
