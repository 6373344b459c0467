package dev.tinysim.cli;

import picocli.CommandLine.Option;

/** --labels and --max-samples: the commands that go over a whole dataset (compare, validate, quantize). */
public final class DatasetOptions {
    @Option(names = "--labels", paramLabel = "L",
            description = "True classes: a .npy array or a .csv/.txt file with one label per sample, the name of an array of "
                    + "the .npz dataset, or for a folder a labels.csv of file,label rows. Folders with one subfolder per "
                    + "class need none.")
    String labels;

    @Option(names = "--max-samples", paramLabel = "N", description = "Use only the first N samples of the data.")
    Integer maxSamples;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",",
            description = "Names of the classes 0, 1, 2, … for the reports, when the labels are class indices.")
    java.util.List<String> classNames;

    Integer maxSamples() {
        if (maxSamples != null && maxSamples < 1) {
            throw new CliException(ExitCode.USAGE, "--max-samples must be at least 1 (got " + maxSamples + ")");
        }
        return maxSamples;
    }
}
