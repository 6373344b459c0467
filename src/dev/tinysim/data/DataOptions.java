package dev.tinysim.data;

/**
 * How to read a data file or folder (the command line's data options).
 *
 * @param array       --array: the array of a .npz file (null: its only array)
 * @param labels      --labels: a file of labels (.npy, or .csv/.txt with one label per line, or for a folder a
 *                    file,label mapping), or the name of an array of the .npz dataset; null: none (or from the
 *                    folder structure / --label-column)
 * @param labelColumn --label-column: the .csv column that holds the labels (name or 0-based index; null: none)
 * @param sampleRate  --sample-rate: the rate .wav files must have (null: any)
 * @param image       how images become inputs
 * @param maxSamples  --max-samples: use only the first N samples (null: all)
 * @param classNames  --class-names: names of the classes 0, 1, 2, … when the labels are indices (null: none)
 */
public record DataOptions(String array, String labels, String labelColumn, Integer sampleRate, ImageOptions image,
                          Integer maxSamples, java.util.List<String> classNames) {
    public static final DataOptions DEFAULT = new DataOptions(null, null, null, null, ImageOptions.DEFAULT, null, null);

    public DataOptions {
        image = image == null ? ImageOptions.DEFAULT : image;
        classNames = classNames == null ? null : java.util.List.copyOf(classNames);
    }

    public DataOptions(String array, String labels, String labelColumn, Integer sampleRate, ImageOptions image, Integer maxSamples) {
        this(array, labels, labelColumn, sampleRate, image, maxSamples, null);
    }

    public DataOptions withLabels(String l) {
        return new DataOptions(array, l, labelColumn, sampleRate, image, maxSamples, classNames);
    }

    public DataOptions withClassNames(java.util.List<String> names) {
        return new DataOptions(array, labels, labelColumn, sampleRate, image, maxSamples, names);
    }

    public DataOptions withArray(String a) {
        return new DataOptions(a, labels, labelColumn, sampleRate, image, maxSamples, classNames);
    }
}
