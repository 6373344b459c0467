package dev.tinysim.cli;

import dev.tinysim.data.DataOptions;
import dev.tinysim.data.ImageOptions;
import picocli.CommandLine.Option;

/** How data files are read (--array, --label-column, --sample-rate, --resize, --channels, --scale): every command that reads data. */
public final class DataFileOptions {
    @Option(names = "--array", paramLabel = "NAME", description = "The array of a .npz file that holds the inputs (default: its only array).")
    String array;

    @Option(names = "--label-column", paramLabel = "COLUMN",
            description = "The .csv column that holds labels, not data: its header name or 0-based index (-1: the last).")
    String labelColumn;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = ".wav files must have this sample rate (refused otherwise: tinysim does not resample).")
    Integer sampleRate;

    @Option(names = "--resize", paramLabel = "HOW",
            description = "Images to the input's height x width: stretch (default) or crop (centre-crop to its aspect ratio first).")
    String resize;

    @Option(names = "--channels", paramLabel = "ORDER",
            description = "Image channels: rgb, bgr or gray. Default: gray for a 1-channel input, rgb for 3.")
    String channels;

    @Option(names = "--scale", paramLabel = "RANGE",
            description = "What image pixels 0..255 become: 0..1, -1..1 or 0..255. Default: the int8 input's range, else 0..1.")
    String scale;

    /** The options as the data package takes them, with the dataset options of a command that has them. */
    DataOptions toOptions(DatasetOptions dataset) {
        return toOptions(dataset.labels, dataset.maxSamples()).withClassNames(dataset.classNames);
    }

    /** The options as the data package takes them (labels and sample limits come from {@link DatasetOptions}). */
    DataOptions toOptions(String labels, Integer maxSamples) {
        if (sampleRate != null && sampleRate <= 0) {
            throw new CliException(ExitCode.USAGE, "--sample-rate must be a positive number of Hz (got " + sampleRate + ")");
        }
        try {
            ImageOptions image = new ImageOptions(resize == null ? null : ImageOptions.Resize.parse(resize),
                    channels == null ? null : ImageOptions.Channels.parse(channels),
                    scale == null ? null : ImageOptions.PixelScale.parse(scale));
            return new DataOptions(array, labels, labelColumn, sampleRate, image, maxSamples);
        } catch (dev.tinysim.data.DataException e) {
            throw DataInputs.translate(e);
        }
    }
}
