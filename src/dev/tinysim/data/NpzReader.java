package dev.tinysim.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy's {@code .npz} format ({@code numpy.savez} and {@code savez_compressed}): a zip archive of
 * {@code .npy} files, one per array, named after the array ({@code x_test.npy} is the array {@code x_test}).
 * The JDK's zip reader does the stored and deflated entries and zip64.
 */
public final class NpzReader {
    private NpzReader() {
    }

    /** Every array of the archive, in the archive's order (name without ".npy" → array). */
    public static Map<String, NpyReader.Array> read(Path file) {
        Map<String, NpyReader.Array> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<? extends ZipEntry> entries = Collections.list((Enumeration<? extends ZipEntry>) zip.entries());
            for (ZipEntry e : entries) {
                if (e.isDirectory()) {
                    continue;
                }
                String entry = e.getName();
                if (!entry.endsWith(".npy")) {
                    throw DataException.corrupt(file, "entry '" + dev.tinysim.text.Printable.name(entry) + "' is not a .npy array; a .npz file holds only .npy files");
                }
                String name = entry.substring(0, entry.length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    // bounded: a compressed entry may claim any size
                    byte[] bytes = in.readNBytes((int) Math.min(DataReader.MAX_DATA_BYTES + 1, Integer.MAX_VALUE - 8));
                    if (bytes.length > DataReader.MAX_DATA_BYTES) {
                        throw DataException.corrupt(file, "array '" + dev.tinysim.text.Printable.name(name) + "' is larger than the " + DataReader.MAX_DATA_BYTES
                                + " bytes tinysim reads at once");
                    }
                    arrays.put(name, NpyReader.read(bytes, file + " (array '" + dev.tinysim.text.Printable.name(name) + "')"));
                }
            }
        } catch (ZipException e) {
            throw DataException.corrupt(file, "not a valid .npz (zip) file: " + e.getMessage());
        } catch (IOException e) {
            throw DataException.corrupt(file, "cannot read the .npz archive: " + e.getMessage());
        }
        if (arrays.isEmpty()) {
            throw DataException.corrupt(file, "the .npz archive holds no arrays");
        }
        return arrays;
    }

    /** "x_test [100,49,10] float32, y_test [100] int64" */
    public static String list(Map<String, NpyReader.Array> arrays) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, NpyReader.Array> e : arrays.entrySet()) {
            if (out.size() == 8) {   // a list, not a dump of a hostile archive's directory
                out.add("… " + (arrays.size() - 8) + " more");
                break;
            }
            out.add(dev.tinysim.text.Printable.name(e.getKey()) + " " + Dataset.shape(e.getValue().shape()) + " " + e.getValue().type());
        }
        return String.join(", ", out);
    }
}
