package dev.tinysim.data;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import dev.tinysim.files.InputFiles;
import dev.tinysim.files.UnreadableFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a data file or folder by its name: {@code .npy}, {@code .npz}, {@code .csv}/{@code .txt}, {@code .wav},
 * {@code .png}/{@code .jpg}/{@code .jpeg}/{@code .bmp}, a folder of these (one sample per file; one subfolder per
 * class, or {@code --labels} mapping files to labels), and anything else as raw tensor bytes (what
 * {@code run --model --input} always took).
 */
public final class DataReader {

    /** The formats, by file name extension. */
    public enum Format {
        NPY, NPZ, CSV, WAV, IMAGE, RAW;

        public static Format of(Path file) {
            String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1);
            return switch (ext) {
                case "npy" -> NPY;
                case "npz" -> NPZ;
                case "csv", "txt", "tsv" -> CSV;
                case "wav", "wave" -> WAV;
                case "png", "jpg", "jpeg", "bmp" -> IMAGE;
                default -> RAW;
            };
        }
    }

    /**
     * What the data is for.
     *
     * @param tensor    the model input it will feed: images are fitted to its height, width and channels; raw
     *                  bytes are read as its type
     * @param int8Input an INT8 input with a scale and zero point among the models the data feeds (null: none):
     *                  the default pixel scale follows its range, and raw bytes for it are its int8 codes
     */
    public record Target(Tensor tensor, Tensor int8Input) {
    }

    private DataReader() {
    }

    /** Reads a file or a folder (a missing one: {@link DataException.Kind#MISSING}). */
    public static Dataset read(Path path, DataOptions options, Target target) {
        Dataset d = readLabelled(path, options, target);
        if (options.classNames() == null) {
            return d;
        }
        if (d.classes() != null) {
            throw DataException.usage("--class-names names classes given by index, but the labels of " + path + " are names already ("
                    + String.join(", ", d.classes().subList(0, Math.min(4, d.classes().size())).stream().map(dev.tinysim.text.Printable::name).toList()) + ")");
        }
        if (!d.labelled()) {
            throw DataException.usage("--class-names goes with labels; " + path + " has none (--labels, class folders, --label-column)");
        }
        return d.withLabels(d.labels(), options.classNames());
    }

    private static Dataset readLabelled(Path path, DataOptions options, Target target) {
        if (Files.isDirectory(path)) {
            return FolderReader.read(path, options, target);
        }
        Format format = Format.of(path);
        if (options.labelColumn() != null && format != Format.CSV) {
            throw DataException.usage("--label-column goes with a .csv dataset; " + path + " is not one");
        }
        if (options.array() != null && format != Format.NPZ) {
            throw DataException.usage("--array chooses an array of a .npz file; " + path + " is not one");
        }
        Dataset d = readFile(path, String.valueOf(path), options, target);
        return withArrayLabels(d, path, options);
    }

    /** One file; {@code origin} names it in messages. Labels (--labels) are not applied here. */
    static Dataset readFile(Path path, String origin, DataOptions options, Target target) {
        Format format = Format.of(path);
        byte[] bytes = format == Format.NPZ ? null : bytes(path);
        if (format == Format.NPZ) {
            check(path);
        }
        return switch (format) {
            case NPY -> {
                NpyReader.Array a = NpyReader.read(bytes, origin);
                yield Dataset.single(origin, "npy", a.type(), a.shape(), a.values());
            }
            case NPZ -> {
                Map<String, NpyReader.Array> arrays = NpzReader.read(path);
                String name = chooseArray(arrays, options.array(), origin);
                NpyReader.Array a = arrays.get(name);
                yield Dataset.single(origin, "npz array '" + dev.tinysim.text.Printable.name(name) + "'", a.type(), a.shape(), a.values());
            }
            case CSV -> {
                CsvReader.Table t = CsvReader.read(bytes, origin, options.labelColumn());
                Dataset d = Dataset.single(origin, "csv" + (t.header() != null ? " with a header row" : ""),
                        DataType.FLOAT32, t.shape(), t.values());
                if (t.labels() != null) {
                    Labels.Classes c = Labels.classify(t.labels());
                    d = d.withLabels(c.indices(), c.names());
                    if (c.names() != null) {
                        d = d.withNote(classNote(c.names(), "label column '" + dev.tinysim.text.Printable.name(options.labelColumn()) + "'"));
                    }
                }
                yield d;
            }
            case WAV -> {
                WavReader.Audio a = WavReader.read(bytes, origin, options.sampleRate());
                yield Dataset.single(origin, "wav, " + a.encoding() + " at " + a.sampleRate() + " Hz"
                        + (a.encoding().contains("PCM") ? " scaled to [-1, 1)" : ""), DataType.FLOAT32,
                        List.of(a.values().length), a.values());
            }
            case IMAGE -> image(bytes, origin, options.image(), target);
            case RAW -> raw(bytes, origin, target.tensor());
        };
    }

    private static String chooseArray(Map<String, NpyReader.Array> arrays, String wanted, String origin) {
        if (wanted != null) {
            if (!arrays.containsKey(wanted)) {
                throw new DataException(DataException.Kind.USAGE, "--array " + wanted + ": " + origin + " has no such array (it holds "
                        + NpzReader.list(arrays) + ")");
            }
            return wanted;
        }
        if (arrays.size() == 1) {
            return arrays.keySet().iterator().next();
        }
        throw new DataException(DataException.Kind.USAGE, origin + " holds " + arrays.size() + " arrays ("
                + NpzReader.list(arrays) + "): choose the inputs with --array NAME (and the labels with --labels NAME)");
    }

    /** Applies --labels to a one-file dataset: a labels file, or an array of the .npz. */
    private static Dataset withArrayLabels(Dataset d, Path path, DataOptions options) {
        String l = options.labels();
        if (l == null) {
            return d;
        }
        if (d.labels() != null) {
            throw DataException.usage("--labels and --label-column both give labels; use one");
        }
        Path file = Path.of(l);
        if (Files.isRegularFile(file)) {
            Format f = Format.of(file);
            if (f == Format.NPY) {
                return d.withLabels(Labels.fromArray(NpyReader.read(bytes(file), l), l), null);
            }
            if (f == Format.CSV) {
                Labels.Classes c = Labels.fromLines(bytes(file), file);
                Dataset out = d.withLabels(c.indices(), c.names());
                return c.names() == null ? out : out.withNote(classNote(c.names(), l));
            }
            throw DataException.usage("--labels " + l + ": labels come from a .npy array, a .csv/.txt file with one label "
                    + "per line, or an array of the .npz dataset");
        }
        if (Format.of(path) == Format.NPZ && !l.contains("/") && !l.endsWith(".npy") && !l.endsWith(".csv")) {
            check(path);
            Map<String, NpyReader.Array> arrays = NpzReader.read(path);
            NpyReader.Array a = arrays.get(l);
            if (a == null) {
                throw new DataException(DataException.Kind.MISSING, "--labels " + l + ": no such file, and " + path
                        + " has no array of that name (it holds " + NpzReader.list(arrays) + ")");
            }
            return d.withLabels(Labels.fromArray(a, path + " (array '" + dev.tinysim.text.Printable.name(l) + "')"), null);
        }
        throw new DataException(DataException.Kind.MISSING, "--labels " + l + ": no such file");
    }

    static String classNote(List<String> names, String from) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pairs.add(names.get(i) + "=" + i);
        }
        String all = String.join(", ", pairs);
        return "classes from " + from + ", numbered in sorted order: " + (all.length() > 200 ? all.substring(0, 200) + "…" : all);
    }

    /** One image as one sample of the target's height × width × channels. */
    private static Dataset image(byte[] bytes, String origin, ImageOptions o, Target target) {
        ImageShape s = ImageShape.of(target.tensor(), origin);
        ImageOptions.Channels channels = o.channels() != null ? o.channels() : s.channels() == 1
                ? ImageOptions.Channels.GRAY : ImageOptions.Channels.RGB;
        if (channels.count() != s.channels()) {
            throw DataException.mismatch(origin, "--channels " + channels + " makes " + channels.count() + " channel"
                    + (channels.count() == 1 ? "" : "s") + ", model input " + Dataset.shape(target.tensor().shape()) + " has "
                    + s.channels());
        }
        ImageOptions.PixelScale scale = o.scale();
        String why = "";
        if (scale == null) {
            Tensor q = target.int8Input();
            if (q != null && q.quantization().isQuantized()) {
                scale = ImageOptions.PixelScale.forRange(q.quantization().scaleValue(), q.quantization().zeroPointValue());
                why = " (the int8 input's range; --scale to change)";
            } else {
                scale = ImageOptions.PixelScale.UNIT;
                why = " (the default for a float input; --scale 0..255 or -1..1 if the model was trained so)";
            }
        }
        float[] v = ImageReader.read(bytes, origin, s.height(), s.width(), channels, o.resize(), scale);
        String format = "image, " + (o.resize() == ImageOptions.Resize.CROP ? "centre-cropped and resized" : "resized")
                + " to " + s.height() + "x" + s.width() + ", " + channels + ", pixels scaled to " + scale + why;
        return Dataset.single(origin, format, DataType.FLOAT32, List.of(s.height(), s.width(), s.channels()), v);
    }

    /** Height, width and channels of an image input: [1,H,W,C] with C 1 or 3, or [1,H,W]. */
    record ImageShape(int height, int width, int channels) {
        static ImageShape of(Tensor t, String origin) {
            List<Integer> sh = t.shape();
            if (sh.size() == 4 && sh.get(0) == 1 && (sh.get(3) == 1 || sh.get(3) == 3)) {
                return new ImageShape(sh.get(1), sh.get(2), sh.get(3));
            }
            if (sh.size() == 3 && sh.get(0) == 1) {
                return new ImageShape(sh.get(1), sh.get(2), 1);
            }
            throw DataException.mismatch(origin, "an image, but model input " + Dataset.shape(sh) + " " + typeName(t)
                    + " is not one (an image needs [1,H,W,C] with C 1 or 3, or [1,H,W])");
        }
    }

    /** Raw tensor bytes of the target's type. */
    private static Dataset raw(byte[] bytes, String origin, Tensor t) {
        DataType type = switch (t.type()) {
            case FLOAT32 -> DataType.FLOAT32;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case UINT8 -> DataType.UINT8;
            case INT32 -> DataType.INT32;
            default -> throw DataException.mismatch(origin, "raw bytes for model input type " + t.type()
                    + ", which tinysim does not feed");
        };
        int item = NpyReader.itemSize(type);
        if (bytes.length % item != 0 || bytes.length == 0) {
            throw DataException.mismatch(origin, bytes.length + " bytes, not a whole number of " + type + " values ("
                    + item + " bytes each); the file holds the raw tensor bytes, no header (see docs/inference-report.md)");
        }
        float[] v = NpyReader.decode(bytes, 0, bytes.length / item, type);
        Dataset d = Dataset.single(origin, "raw " + typeName(t) + " tensor bytes", type, List.of(v.length), v);
        if (t.type() == TensorType.INT8 && t.quantization().isQuantized()) {
            d = d.withCodes(new Dataset.Codes(t.quantization().scaleValue(), t.quantization().zeroPointValue()));
        }
        return d;
    }

    static String typeName(Tensor t) {
        return t.type().name().toLowerCase(Locale.ROOT);
    }

    /** Largest data file tinysim reads at once (every value is then held as a float). */
    public static final long MAX_DATA_BYTES = 1L << 30;

    static byte[] bytes(Path path) {
        try {
            return InputFiles.read(path, "data", MAX_DATA_BYTES);
        } catch (UnreadableFileException e) {
            throw new DataException(DataException.Kind.MISSING, e.getMessage());
        } catch (OutOfMemoryError e) {
            throw DataException.corrupt(path, "too large to read at once");
        }
    }

    /** Refuses a path that is not a readable regular file, before it is opened. */
    static void check(Path path) {
        try {
            InputFiles.check(path, "data");
        } catch (UnreadableFileException e) {
            throw new DataException(DataException.Kind.MISSING, e.getMessage());
        }
    }

    /** Files and folders of a folder, sorted by name, hidden ones left out. */
    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !String.valueOf(p.getFileName()).startsWith("."))
                    .sorted(Comparator.comparing(p -> String.valueOf(p.getFileName()))).toList();
        } catch (IOException e) {
            throw new DataException(DataException.Kind.MISSING, dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }
}
