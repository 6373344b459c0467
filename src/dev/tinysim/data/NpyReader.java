package dev.tinysim.data;

import dev.tinysim.text.Printable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0, as {@code numpy.save} writes it): the magic
 * {@code \x93NUMPY}, a version, a header length, a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (100, 49, 10), }} padded with spaces, then the
 * values. Little-endian {@code <f4 <f8 <i1 <u1 <i2 <i4 <i8} and {@code |b1} (one-byte types with {@code |} or
 * {@code <}), C order. Fortran order, big-endian, object and structured arrays are refused, each with the
 * NumPy call that fixes it.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"])([^'\"]*)\\1");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /** One array. */
    public record Array(List<Integer> shape, DataType type, float[] values) {
        public Array {
            shape = List.copyOf(shape);
        }
    }

    /** Whether the bytes start like a .npy file. */
    public static boolean looksLikeNpy(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Parses a whole .npy file; {@code name} names it in messages. */
    public static Array read(byte[] bytes, String name) {
        if (!looksLikeNpy(bytes)) {
            throw DataException.corrupt(name, "not a .npy file (it does not start with \\x93NUMPY)");
        }
        if (bytes.length < 10) {
            throw DataException.corrupt(name, "truncated .npy header (" + bytes.length + " bytes)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLength = b.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (bytes.length < 12) {
                    throw DataException.corrupt(name, "truncated .npy header (" + bytes.length + " bytes)");
                }
                headerLength = b.getInt(8) & 0xffffffffL;
                headerStart = 12;
            }
            default -> throw DataException.corrupt(name, ".npy format version " + major + "." + (bytes[7] & 0xff)
                    + " is not one tinysim reads (1.0, 2.0, 3.0)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw DataException.corrupt(name, "truncated .npy file: the header says " + headerLength + " bytes, the file has "
                    + (bytes.length - headerStart) + " after the preamble");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (header.matches("(?s).*['\"]descr['\"]\\s*:\\s*\\[.*")) {
            throw DataException.corrupt(name, "a structured array (a record dtype); tinysim reads plain numeric arrays "
                    + "(save one field: numpy.save(f, a['x']))");
        }
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw DataException.corrupt(name, "the .npy header is not a dict with 'descr', 'fortran_order' and 'shape': "
                    + Printable.name(header.strip()));
        }
        DataType type = type(descr.group(2), name);
        if (fortran.group(1).equals("True")) {
            throw DataException.corrupt(name, "the array is in Fortran order; tinysim reads C-order arrays "
                    + "(numpy.save(f, numpy.ascontiguousarray(a)))");
        }
        List<Integer> shape = shape(shapeM.group(1), name);
        long count = Dataset.elements(shape);
        int itemSize = itemSize(type);
        long dataBytes = bytes.length - headerStart - headerLength;
        if (count > Integer.MAX_VALUE - 16) {
            throw DataException.corrupt(name, "the array has " + count + " values, more than tinysim holds at once");
        }
        if (dataBytes < count * itemSize) {
            throw DataException.corrupt(name, "truncated: shape " + Dataset.shape(shape) + " " + type + " needs "
                    + count * itemSize + " bytes of data, the file has " + dataBytes);
        }
        if (dataBytes > count * itemSize) {
            throw DataException.corrupt(name, "shape " + Dataset.shape(shape) + " " + type + " needs " + count * itemSize
                    + " bytes of data, the file has " + dataBytes + " (more than one array in the file?)");
        }
        int at = (int) (headerStart + headerLength);
        return new Array(shape, type, decode(bytes, at, (int) count, type));
    }

    static DataType type(String descr, String name) {
        if (descr.length() < 2) {
            throw DataException.corrupt(name, "dtype '" + Printable.name(descr) + "' is not one tinysim reads");
        }
        char order = descr.charAt(0);
        String kind = descr.substring(1);
        boolean oneByte = kind.equals("i1") || kind.equals("u1") || kind.equals("b1");
        if (order == '>' && !oneByte) {
            throw DataException.corrupt(name, "big-endian dtype '" + Printable.name(descr) + "'; tinysim reads little-endian arrays "
                    + "(numpy.save(f, a.astype('<" + Printable.name(kind) + "')))");
        }
        if (order != '<' && order != '|' && !(oneByte && (order == '>' || order == '='))) {
            throw DataException.corrupt(name, "dtype '" + Printable.name(descr) + "' is not one tinysim reads (byte order '" + Printable.name(String.valueOf(order)) + "')");
        }
        return switch (kind) {
            case "f4" -> DataType.FLOAT32;
            case "f8" -> DataType.FLOAT64;
            case "i1" -> DataType.INT8;
            case "u1" -> DataType.UINT8;
            case "i2" -> DataType.INT16;
            case "i4" -> DataType.INT32;
            case "i8" -> DataType.INT64;
            case "b1" -> DataType.BOOL;
            default -> throw DataException.corrupt(name, "dtype '" + Printable.name(descr) + "' is not one tinysim reads (float32, float64, "
                    + "int8, uint8, int16, int32, int64, bool)" + (kind.startsWith("O") ? ": an object array" : ""));
        };
    }

    private static List<Integer> shape(String tuple, String name) {
        List<Integer> shape = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);   // Python 2 longs
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                shape.add((int) v);
            } catch (NumberFormatException e) {
                throw DataException.corrupt(name, "the .npy shape (" + Printable.name(tuple.strip()) + ") is not a tuple of sizes");
            }
        }
        return shape;
    }

    static int itemSize(DataType t) {
        return switch (t) {
            case FLOAT32, INT32 -> 4;
            case FLOAT64, INT64 -> 8;
            case INT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
        };
    }

    /** {@code count} little-endian values of {@code type} from {@code at}, as floats. */
    static float[] decode(byte[] bytes, int at, int count, DataType type) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (type) {
                case FLOAT32 -> b.getFloat(at + 4 * i);
                case FLOAT64 -> (float) b.getDouble(at + 8 * i);
                case INT8 -> bytes[at + i];
                case UINT8 -> bytes[at + i] & 0xff;
                case BOOL -> bytes[at + i] != 0 ? 1f : 0f;
                case INT16 -> b.getShort(at + 2 * i);
                case INT32 -> b.getInt(at + 4 * i);
                case INT64 -> b.getLong(at + 8 * i);
            };
        }
        return out;
    }
}
