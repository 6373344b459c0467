package dev.tinysim.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** .npy and .npz: every dtype, header versions, and each refusal with its message. */
class NpyNpzReaderTest {

    private static byte[] le(int size, long... v) {
        ByteBuffer b = ByteBuffer.allocate(size * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (size) {
                case 1 -> b.put((byte) x);
                case 2 -> b.putShort((short) x);
                case 4 -> b.putInt((int) x);
                default -> b.putLong(x);
            }
        }
        return b.array();
    }

    @Test
    void everyDtypeReadsExactly() {
        assertArrayEquals(new float[] {-128, -1, 0, 127}, NpyReader.read(DataFiles.npy("|i1", false, new int[] {4},
                le(1, -128, -1, 0, 127), 1), "a").values());
        assertArrayEquals(new float[] {0, 1, 255}, NpyReader.read(DataFiles.npy("|u1", false, new int[] {3},
                le(1, 0, 1, 255), 1), "a").values());
        assertArrayEquals(new float[] {-32768, 32767}, NpyReader.read(DataFiles.npy("<i2", false, new int[] {2},
                le(2, -32768, 32767), 1), "a").values());
        assertArrayEquals(new float[] {-7, 123456}, NpyReader.read(DataFiles.npy("<i4", false, new int[] {2},
                le(4, -7, 123456), 1), "a").values());
        assertArrayEquals(new float[] {3, -9}, NpyReader.read(DataFiles.npyInt64(new int[] {2}, 3, -9), "a").values());
        assertArrayEquals(new float[] {1, 0, 1}, NpyReader.read(DataFiles.npy("|b1", false, new int[] {3}, le(1, 1, 0, 1), 1), "a").values());
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-2.5);
        NpyReader.Array f8 = NpyReader.read(DataFiles.npy("<f8", false, new int[] {2}, d.array(), 1), "a");
        assertEquals(DataType.FLOAT64, f8.type());
        assertArrayEquals(new float[] {0.1f, -2.5f}, f8.values());
        NpyReader.Array f4 = NpyReader.read(DataFiles.npyFloat32(new int[] {2, 3}, 1, 2, 3, 4, 5, Float.MIN_VALUE), "a");
        assertEquals(List.of(2, 3), f4.shape());
        assertEquals(DataType.FLOAT32, f4.type());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE}, f4.values());
    }

    @Test
    void versionTwoHeadersAndScalars() {
        NpyReader.Array v2 = NpyReader.read(DataFiles.npy("<f4", false, new int[] {1, 2},
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(7).putFloat(8).array(), 2), "a");
        assertArrayEquals(new float[] {7, 8}, v2.values());
        NpyReader.Array scalar = NpyReader.read(DataFiles.npy("<f4", false, new int[] {},
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(3).array(), 1), "a");
        assertEquals(List.of(), scalar.shape());
        assertArrayEquals(new float[] {3}, scalar.values());
    }

    private static String refused(byte[] bytes) {
        DataException e = assertThrows(DataException.class, () -> NpyReader.read(bytes, "x.npy"));
        assertEquals(DataException.Kind.CORRUPT, e.kind());
        return e.getMessage();
    }

    @Test
    void refusalsNameTheFileAndTheFix() {
        assertEquals("x.npy: the array is in Fortran order; tinysim reads C-order arrays (numpy.save(f, numpy.ascontiguousarray(a)))",
                refused(DataFiles.npy("<f4", true, new int[] {2, 2}, new byte[16], 1)));
        assertEquals("x.npy: big-endian dtype '>f4'; tinysim reads little-endian arrays (numpy.save(f, a.astype('<f4')))",
                refused(DataFiles.npy(">f4", false, new int[] {2}, new byte[8], 1)));
        assertEquals("x.npy: not a .npy file (it does not start with \\x93NUMPY)", refused("hello".getBytes()));
        assertEquals("x.npy: truncated: shape [3] float32 needs 12 bytes of data, the file has 8",
                refused(DataFiles.npy("<f4", false, new int[] {3}, new byte[8], 1)));
        assertEquals("x.npy: dtype '|O' is not one tinysim reads (float32, float64, int8, uint8, int16, int32, int64, bool): an object array",
                refused(DataFiles.npy("|O", false, new int[] {1}, new byte[8], 1)));
        assertEquals("x.npy: dtype '<c8' is not one tinysim reads (float32, float64, int8, uint8, int16, int32, int64, bool)",
                refused(DataFiles.npy("<c8", false, new int[] {1}, new byte[8], 1)));
        // a one-byte type written with '|' or '>' is the same bytes either way
        assertArrayEquals(new float[] {5}, NpyReader.read(DataFiles.npy(">i1", false, new int[] {1}, new byte[] {5}, 1), "a").values());
    }

    @Test
    void npzArraysAreChosenByName(@TempDir Path dir) {
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("x_test", DataFiles.npyFloat32(new int[] {2, 3}, 1, 2, 3, 4, 5, 6));
        arrays.put("y_test", DataFiles.npyInt64(new int[] {2}, 1, 0));
        for (boolean compressed : new boolean[] {false, true}) {
            Path f = DataFiles.write(dir.resolve(compressed ? "c.npz" : "s.npz"), DataFiles.npz(arrays, compressed));
            Map<String, NpyReader.Array> read = NpzReader.read(f);
            assertEquals(List.of("x_test", "y_test"), List.copyOf(read.keySet()));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, read.get("x_test").values());
            assertEquals("x_test [2,3] float32, y_test [2] int64", NpzReader.list(read));

            DataException none = assertThrows(DataException.class, () -> DataReader.read(f, DataOptions.DEFAULT, null));
            assertEquals(f + " holds 2 arrays (x_test [2,3] float32, y_test [2] int64): choose the inputs with --array NAME "
                    + "(and the labels with --labels NAME)", none.getMessage());
            Dataset d = DataReader.read(f, DataOptions.DEFAULT.withArray("x_test").withLabels("y_test"), null);
            assertEquals("npz array 'x_test'", d.format());
            assertArrayEquals(new int[] {1, 0}, d.labels());
            DataException wrong = assertThrows(DataException.class,
                    () -> DataReader.read(f, DataOptions.DEFAULT.withArray("x"), null));
            assertEquals(DataException.Kind.USAGE, wrong.kind());
            assertEquals("--array x: " + f + " has no such array (it holds x_test [2,3] float32, y_test [2] int64)", wrong.getMessage());
            DataException noLabels = assertThrows(DataException.class,
                    () -> DataReader.read(f, DataOptions.DEFAULT.withArray("x_test").withLabels("y"), null));
            assertEquals(DataException.Kind.MISSING, noLabels.kind());
        }
        Path bad = DataFiles.write(dir.resolve("bad.npz"), "not a zip".getBytes());
        DataException e = assertThrows(DataException.class, () -> NpzReader.read(bad));
        assertEquals(DataException.Kind.CORRUPT, e.kind());
        assertEquals(true, e.getMessage().startsWith(bad + ": not a valid .npz (zip) file"), e.getMessage());
    }

    @Test
    void labelsFromOneHotRowsAndFiles(@TempDir Path dir) {
        Path x = DataFiles.write(dir.resolve("x.npy"), DataFiles.npyFloat32(new int[] {3, 2}, 1, 2, 3, 4, 5, 6));
        Path onehot = DataFiles.write(dir.resolve("y.npy"), DataFiles.npyFloat32(new int[] {3, 3}, 0, 1, 0, 0, 0, 1, 1, 0, 0));
        assertArrayEquals(new int[] {1, 2, 0}, DataReader.read(x, DataOptions.DEFAULT.withLabels(onehot.toString()), null).labels());
        Path text = DataFiles.write(dir.resolve("y.txt"), "label\ncat\ndog\ncat\n");
        Dataset d = DataReader.read(x, DataOptions.DEFAULT.withLabels(text.toString()), null);
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertEquals(List.of("cat", "dog"), d.classes());
        assertEquals(List.of("classes from " + text + ", numbered in sorted order: cat=0, dog=1"), d.notes());
        Path fractional = DataFiles.write(dir.resolve("f.npy"), DataFiles.npyFloat32(new int[] {3}, 0, 1.5f, 2));
        DataException e = assertThrows(DataException.class,
                () -> DataReader.read(x, DataOptions.DEFAULT.withLabels(fractional.toString()), null));
        assertEquals(fractional + ": label 1 is 1.5; labels are class indices 0, 1, 2, …", e.getMessage());
    }
}
