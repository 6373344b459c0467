package dev.tinysim.data;

import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Folders: one sample per file, class folders as labels, labels.csv, and what is skipped. */
class FolderReaderTest {
    private static final Tensor IN = new Tensor("x", TensorType.FLOAT32, List.of(1, 2), 0, Quantization.NONE);
    private static final DataReader.Target TARGET = new DataReader.Target(IN, null);

    private static byte[] two(float a, float b) {
        return DataFiles.npyFloat32(new int[] {2}, a, b);
    }

    @Test
    void classFoldersAreLabelsNumberedInSortedOrder(@TempDir Path dir) {
        DataFiles.write(dir.resolve("dog/b.npy"), two(3, 4));
        DataFiles.write(dir.resolve("dog/a.csv"), "5,6\n");
        DataFiles.write(dir.resolve("cat/x.npy"), two(1, 2));
        DataFiles.write(dir.resolve("cat/README.md"), "not data");
        DataFiles.write(dir.resolve("cat/.hidden.npy"), "ignored");
        Dataset d = DataReader.read(dir, DataOptions.DEFAULT, TARGET);
        assertEquals(List.of("cat", "dog"), d.classes());
        assertEquals(List.of("cat/x.npy", "dog/a.csv", "dog/b.npy"), d.parts().stream().map(Dataset.Part::origin).toList());
        assertEquals(List.of(0, 1, 1), d.parts().stream().map(Dataset.Part::label).toList());
        assertEquals("folder of 3 files (1 .csv, 2 .npy, one folder per class); each npy", d.format());
        assertEquals(List.of("classes from the class folders, numbered in sorted order: cat=0, dog=1",
                "skipped 1 file of no data format (e.g. cat/README.md)"), d.notes());
        Binding b = Binding.bind(d, IN, null);
        assertArrayEquals(new int[] {0, 1, 1}, b.labels());
        assertEquals("data 3 files of 2 values float32; model input [1,2] float32: 3 samples, layout ok, as float32", b.description());
    }

    @Test
    void numericClassFoldersAreTheClassIndices(@TempDir Path dir) {
        DataFiles.write(dir.resolve("7/a.npy"), two(1, 2));
        DataFiles.write(dir.resolve("10/a.npy"), two(1, 2));
        Dataset d = DataReader.read(dir, DataOptions.DEFAULT, TARGET);
        assertNull(d.classes());
        assertEquals(List.of(10, 7), d.parts().stream().map(Dataset.Part::label).toList());
    }

    @Test
    void aLabelsFileMapsFilesToLabels(@TempDir Path dir) {
        Path data = dir.resolve("data");
        DataFiles.write(data.resolve("a.npy"), two(1, 2));
        DataFiles.write(data.resolve("b.npy"), two(3, 4));
        DataFiles.write(data.resolve("labels.csv"), "file,label\na.npy,yes\n./b.npy,no\n");
        Dataset d = DataReader.read(data, DataOptions.DEFAULT.withLabels(data.resolve("labels.csv").toString()), TARGET);
        assertEquals(List.of("no", "yes"), d.classes());
        assertEquals(List.of(1, 0), d.parts().stream().map(Dataset.Part::label).toList());
        // without --labels, a labels.csv in the folder is left out (and said so), not read as data
        Dataset unlabelled = DataReader.read(data, DataOptions.DEFAULT, TARGET);
        assertEquals(2, unlabelled.parts().size());
        assertEquals(List.of("left out labels.csv (a labels file: give it with --labels to use it)"), unlabelled.notes());

        Path partial = DataFiles.write(dir.resolve("partial.csv"), "a.npy,1\n");
        DataException e = assertThrows(DataException.class,
                () -> DataReader.read(data, DataOptions.DEFAULT.withLabels(partial.toString()), TARGET));
        assertEquals(data.resolve("b.npy") + ": no label for this file in " + partial + " (its rows are file,label; the file as "
                + "'b.npy' or 'b.npy')", e.getMessage());
    }

    @Test
    void refusals(@TempDir Path dir) {
        DataFiles.write(dir.resolve("mixed/a.npy"), two(1, 2));
        DataFiles.write(dir.resolve("mixed/cls/b.npy"), two(1, 2));
        assertEquals(dir.resolve("mixed") + ": holds both data files (a.npy) and class folders (cls/); put every file in a class folder, "
                        + "or label the files with --labels",
                assertThrows(DataException.class, () -> DataReader.read(dir.resolve("mixed"), DataOptions.DEFAULT, TARGET)).getMessage());
        DataFiles.write(dir.resolve("empty/notes.md"), "x");
        assertEquals(dir.resolve("empty") + ": no data files (.npy, .npz, .csv, .txt, .wav, .png, .jpg, .bmp, .bin) in the folder; "
                        + "skipped 1 other file (e.g. notes.md)",
                assertThrows(DataException.class, () -> DataReader.read(dir.resolve("empty"), DataOptions.DEFAULT, TARGET)).getMessage());
        DataFiles.write(dir.resolve("types/a.npy"), two(1, 2));
        DataFiles.write(dir.resolve("types/b.npy"), DataFiles.npyInt64(new int[] {2}, 1, 2));
        assertEquals(dir.resolve("types/b.npy") + ": int64 data, but " + dir.resolve("types/a.npy") + " is float32; every file of a "
                        + "folder must hold the same type",
                assertThrows(DataException.class, () -> DataReader.read(dir.resolve("types"), DataOptions.DEFAULT, TARGET)).getMessage());
        DataFiles.write(dir.resolve("shapes/a.npy"), two(1, 2));
        DataFiles.write(dir.resolve("shapes/b.npy"), DataFiles.npyFloat32(new int[] {3}, 1, 2, 3));
        Dataset shapes = DataReader.read(dir.resolve("shapes"), DataOptions.DEFAULT, TARGET);
        assertEquals(dir.resolve("shapes") + "/b.npy: data 2 files float32; model input [1,2] float32: 3 values, not a multiple of the "
                + "2 the input takes", assertThrows(DataException.class, () -> Binding.bind(shapes, IN, null)).getMessage());
        DataException missing = assertThrows(DataException.class, () -> DataReader.read(dir.resolve("nope.npy"), DataOptions.DEFAULT, TARGET));
        assertEquals(DataException.Kind.MISSING, missing.kind());
        assertEquals(dir.resolve("nope.npy") + ": no such file", missing.getMessage());
    }
}
