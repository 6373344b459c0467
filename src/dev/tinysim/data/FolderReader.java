package dev.tinysim.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder of data files, one sample per file: either flat (no labels, or {@code --labels labels.csv} with
 * {@code file,label} rows), or one subfolder per class (the subfolder is the label: integer names are class
 * indices, other names are numbered in sorted order). Hidden files are left out; files of no known format are
 * skipped and counted in a note.
 */
final class FolderReader {
    /** File names tinysim takes for labels files, not data, when they sit in the dataset folder. */
    private static final List<String> LABEL_FILES = List.of("labels.csv", "labels.txt");

    private FolderReader() {
    }

    /** What the folder holds, gathered step by step: the data files in order, their labels, and what was left out. */
    private static final class Listing {
        final List<Path> dataFiles = new ArrayList<>();
        final List<Path> skipped = new ArrayList<>();
        /** One label per data file, or empty (no labels). */
        final List<Integer> partLabels = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        List<String> classes;
    }

    static Dataset read(Path dir, DataOptions o, DataReader.Target target) {
        if (o.labelColumn() != null) {
            throw DataException.usage("--label-column goes with a .csv dataset; " + dir + " is a folder");
        }
        List<Path> top = DataReader.list(dir);
        List<Path> folders = top.stream().filter(Files::isDirectory).toList();
        List<Path> files = top.stream().filter(p -> !Files.isDirectory(p)).toList();
        Path labelsFile = o.labels() == null ? null : Path.of(o.labels());
        if (labelsFile != null && !Files.isRegularFile(labelsFile)) {
            throw new DataException(DataException.Kind.MISSING, "--labels " + o.labels() + ": no such file");
        }
        Listing l = new Listing();
        topFiles(l, files, labelsFile);
        if (!folders.isEmpty() && labelsFile == null) {
            classFolders(l, dir, folders);
        } else if (!folders.isEmpty()) {
            l.dataFiles.clear();
            for (Path f : walk(dir)) {
                if (sameFile(f, labelsFile)) {
                    continue;
                }
                if (isData(f)) {
                    l.dataFiles.add(f);
                } else {
                    l.skipped.add(f);
                }
            }
        }
        if (l.dataFiles.isEmpty()) {
            throw DataException.corrupt(dir, "no data files (.npy, .npz, .csv, .txt, .wav, .png, .jpg, .bmp, .bin) in the folder"
                    + (l.skipped.isEmpty() ? "" : "; skipped " + l.skipped.size() + " other file" + (l.skipped.size() == 1 ? "" : "s")
                    + " (e.g. " + dir.relativize(l.skipped.get(0)) + ")"));
        }
        if (labelsFile != null) {
            labelsFrom(l, dir, labelsFile);
        }
        return readFiles(l, dir, o, target, labelsFile);
    }

    /** The files at the top of the folder: data, or skipped; a labels file not given with --labels is left out. */
    private static void topFiles(Listing l, List<Path> files, Path labelsFile) {
        for (Path f : files) {
            String name = String.valueOf(f.getFileName()).toLowerCase(Locale.ROOT);
            if (labelsFile != null && sameFile(f, labelsFile) || labelsFile == null && LABEL_FILES.contains(name)) {
                if (labelsFile == null) {
                    l.notes.add("left out " + f.getFileName() + " (a labels file: give it with --labels to use it)");
                }
                continue;
            }
            if (isData(f)) {
                l.dataFiles.add(f);
            } else {
                l.skipped.add(f);
            }
        }
    }

    /** One subfolder per class: integer names are class indices, other names are numbered in sorted order. */
    private static void classFolders(Listing l, Path dir, List<Path> folders) {
        if (!l.dataFiles.isEmpty()) {
            throw DataException.corrupt(dir, "holds both data files (" + l.dataFiles.get(0).getFileName()
                    + ") and class folders (" + folders.get(0).getFileName() + "/); put every file in a class folder, "
                    + "or label the files with --labels");
        }
        List<String> names = folders.stream().map(p -> String.valueOf(p.getFileName())).toList();
        boolean numeric = names.stream().allMatch(n -> n.matches("\\d{1,6}"));
        l.classes = numeric ? null : Labels.sortedNames(names);
        for (Path folder : folders) {
            String n = String.valueOf(folder.getFileName());
            int label = numeric ? Integer.parseInt(n) : l.classes.indexOf(n);
            for (Path f : walk(folder)) {
                if (isData(f)) {
                    l.dataFiles.add(f);
                    l.partLabels.add(label);
                } else {
                    l.skipped.add(f);
                }
            }
        }
        if (!numeric) {
            l.notes.add(DataReader.classNote(l.classes, "the class folders"));
        }
    }

    /** The label of every data file from a labels.csv of file,label rows (the file by its path in the folder or its name). */
    private static void labelsFrom(Listing l, Path dir, Path labelsFile) {
        Map<String, String> mapping = mapping(labelsFile);
        List<String> raw = new ArrayList<>();
        for (Path f : l.dataFiles) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            String label = mapping.containsKey(rel) ? mapping.get(rel) : mapping.get(String.valueOf(f.getFileName()));
            if (label == null) {
                throw DataException.mismatch(f, "no label for this file in " + labelsFile + " (its rows are file,label;"
                        + " the file as '" + rel + "' or '" + f.getFileName() + "')");
            }
            raw.add(label);
        }
        Labels.Classes c = Labels.classify(raw);
        l.classes = c.names();
        l.partLabels.clear();
        for (int i : c.indices()) {
            l.partLabels.add(i);
        }
        if (l.classes != null) {
            l.notes.add(DataReader.classNote(l.classes, labelsFile.toString()));
        }
    }

    /** Reads every data file as one sample (all of one type) and describes the folder. */
    private static Dataset readFiles(Listing l, Path dir, DataOptions o, DataReader.Target target, Path labelsFile) {
        List<Path> dataFiles = l.dataFiles;
        List<Integer> partLabels = l.partLabels;
        List<String> notes = l.notes;
        List<Dataset.Part> parts = new ArrayList<>();
        String formatOfFirst = null;
        DataType type = null;
        Map<String, Integer> counts = new TreeMap<>();
        DataOptions perFile = o.withLabels(null);
        for (int i = 0; i < dataFiles.size(); i++) {
            Path f = dataFiles.get(i);
            String rel = dir.relativize(f).toString().replace('\\', '/');
            Dataset d = DataReader.readFile(f, String.valueOf(f), perFile, target);
            if (d.labels() != null) {
                throw DataException.usage(f + ": labels inside the files of a folder are not read; label them with class "
                        + "folders or --labels");
            }
            if (type == null) {
                type = d.type();
                formatOfFirst = d.format();
            } else if (d.type() != type) {
                throw DataException.corrupt(f, d.type() + " data, but " + dataFiles.get(0) + " is " + type
                        + "; every file of a folder must hold the same type");
            }
            String ext = String.valueOf(f.getFileName());
            ext = ext.contains(".") ? ext.substring(ext.lastIndexOf('.')).toLowerCase(Locale.ROOT) : "(none)";
            counts.merge(ext, 1, Integer::sum);
            Dataset.Part p = d.parts().get(0);
            parts.add(new Dataset.Part(rel, p.shape(), p.values(), partLabels.isEmpty() ? -1 : partLabels.get(i)));
            for (String n : d.notes()) {
                if (!notes.contains(n)) {
                    notes.add(n);
                }
            }
        }
        if (!l.skipped.isEmpty()) {
            notes.add("skipped " + l.skipped.size() + " file" + (l.skipped.size() == 1 ? "" : "s") + " of no data format (e.g. "
                    + dir.relativize(l.skipped.get(0)) + ")");
        }
        List<String> kinds = new ArrayList<>();
        counts.forEach((k, v) -> kinds.add(v + " " + k));
        String format = "folder of " + dataFiles.size() + " file" + (dataFiles.size() == 1 ? "" : "s") + " ("
                + String.join(", ", kinds) + (partLabels.isEmpty() ? "" : labelsFile != null ? ", labelled by " + labelsFile
                : ", one folder per class") + "); each " + formatOfFirst;
        return new Dataset(String.valueOf(dir), format, type, parts, null, l.classes, null, notes);
    }

    /** Formats a folder holds: every known one, and raw .bin/.raw tensors. */
    private static boolean isData(Path f) {
        DataReader.Format fmt = DataReader.Format.of(f);
        String name = String.valueOf(f.getFileName()).toLowerCase(Locale.ROOT);
        return fmt != DataReader.Format.RAW || name.endsWith(".bin") || name.endsWith(".raw");
    }

    private static List<Path> walk(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !hidden(folder.relativize(p)))
                    .sorted((a, b) -> folder.relativize(a).toString().compareTo(folder.relativize(b).toString())).toList();
        } catch (IOException e) {
            throw new DataException(DataException.Kind.MISSING, folder + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFile(Path a, Path b) {
        if (b == null) {
            return false;
        }
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** A labels.csv: rows file,label (a header row "file,label" or similar is skipped). */
    static Map<String, String> mapping(Path file) {
        String text = new String(DataReader.bytes(file), java.nio.charset.StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, String> out = new HashMap<>();
        int lineNumber = 0;
        boolean first = true;
        for (String line : text.split("\r\n|\n|\r")) {
            lineNumber++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> f = CsvReader.fields(line, CsvReader.separator(line), file.toString(), lineNumber);
            if (f.size() != 2) {
                throw DataException.corrupt(file, "line " + lineNumber + " has " + f.size() + " fields; a labels file for a "
                        + "folder has two: file,label");
            }
            String key = f.get(0).strip().replace('\\', '/');
            if (first) {
                first = false;
                String k = key.toLowerCase(Locale.ROOT);
                if (k.equals("file") || k.equals("filename") || k.equals("path") || k.equals("name")) {
                    continue;
                }
            }
            if (key.startsWith("./")) {
                key = key.substring(2);
            }
            out.put(key, f.get(1).strip());
        }
        if (out.isEmpty()) {
            throw DataException.corrupt(file, "no file,label rows");
        }
        return out;
    }
}
