package dev.tinysim.tflite;

import dev.tinysim.text.Printable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked access to a FlatBuffer. Every offset, vtable, vector and string is checked against the
 * buffer before it is used, and scalars against their alignment, so that corrupt input surfaces as a
 * {@link TfliteFormatException} naming the file and the field, never as an index or arithmetic error.
 *
 * <p>Because one FlatBuffer table may be referenced many times (a hostile file can point thousands of
 * vector entries at one big table), the reader also keeps a work budget proportional to the file size:
 * every table visited and every vector element decoded is charged, so parsing time and memory stay linear
 * in the file size whatever the offsets say.
 */
final class FlatBufferReader {

    private final ByteBuffer buf;
    private final String fileName;
    private final int limit;
    private long budget;

    FlatBufferReader(ByteBuffer bytes, String fileName) {
        this.buf = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.fileName = fileName;
        this.limit = buf.limit();
        // Legitimate files decode far fewer elements than they have bytes; the constant absorbs tiny files.
        this.budget = 2L * limit + 100_000;
    }

    int size() {
        return limit;
    }

    TfliteFormatException error(String where, String detail) {
        return new TfliteFormatException(fileName + ": " + where + ": " + detail);
    }

    /** A read-only little-endian view of {@code length} bytes at {@code start} (already bounds-checked). */
    ByteBuffer slice(int start, int length) {
        return buf.slice(start, length).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    void charge(long units, String where) throws TfliteFormatException {
        budget -= units;
        if (budget < 0) {
            throw error(where, "the file references far more data than it contains (overlapping or cyclic offsets)");
        }
    }

    private void need(long pos, long length, String where, String what) throws TfliteFormatException {
        if (pos < 0 || length < 0 || pos + length > limit) {
            throw error(where, what + " at offset " + pos + " (" + length + " bytes) lies outside the file ("
                    + limit + " bytes)");
        }
    }

    private void aligned(long pos, int alignment, String where, String what) throws TfliteFormatException {
        if (pos % alignment != 0) {
            throw error(where, what + " at offset " + pos + " is not " + alignment + "-byte aligned");
        }
    }

    int u8(int pos) {
        return buf.get(pos) & 0xff;
    }

    int u16(int pos) {
        return buf.getShort(pos) & 0xffff;
    }

    int i32(int pos) {
        return buf.getInt(pos);
    }

    long u32(int pos) {
        return buf.getInt(pos) & 0xffffffffL;
    }

    long i64(int pos) {
        return buf.getLong(pos);
    }

    float f32(int pos) {
        return buf.getFloat(pos);
    }

    /** The root table: the uoffset at the start of the file. */
    Table root(String where) throws TfliteFormatException {
        need(0, 8, where, "file header");
        return table(u32(0), where);
    }

    /** The table at absolute position {@code pos}, with its vtable checked. */
    Table table(long pos, String where) throws TfliteFormatException {
        charge(1, where);
        need(pos, 4, where, "table");
        aligned(pos, 4, where, "table");
        long vtable = pos - i32((int) pos);
        need(vtable, 4, where, "vtable");
        aligned(vtable, 2, where, "vtable");
        int vtableLength = u16((int) vtable);
        int objectLength = u16((int) vtable + 2);
        if (vtableLength < 4 || vtableLength % 2 != 0) {
            throw error(where, "vtable length " + vtableLength + " is invalid");
        }
        need(vtable, vtableLength, where, "vtable");
        if (objectLength < 4) {
            throw error(where, "table size " + objectLength + " is invalid");
        }
        need(pos, objectLength, where, "table");
        return new Table((int) pos, (int) vtable, vtableLength, objectLength, where);
    }

    /** A vector's element range, checked. */
    record Vector(int start, int length) {
    }

    /** One table: field access by schema field index (0-based, in declaration order, unions count twice). */
    final class Table {
        private final int pos;
        private final int vtable;
        private final int vtableLength;
        private final int objectLength;
        final String where;

        private Table(int pos, int vtable, int vtableLength, int objectLength, String where) {
            this.pos = pos;
            this.vtable = vtable;
            this.vtableLength = vtableLength;
            this.objectLength = objectLength;
            this.where = where;
        }

        /** Absolute position of the field's value, or -1 when absent; checks it lies inside the table. */
        private int field(int index, int size, String name) throws TfliteFormatException {
            int slot = 4 + 2 * index;
            if (slot + 2 > vtableLength) {
                return -1;
            }
            int offset = u16(vtable + slot);
            if (offset == 0) {
                return -1;
            }
            if (offset + size > objectLength) {
                throw error(where, name + ": field offset " + offset + " lies outside its table (" + objectLength
                        + " bytes)");
            }
            int at = pos + offset;
            aligned(at, size, where, name);
            return at;
        }

        boolean has(int index) throws TfliteFormatException {
            int slot = 4 + 2 * index;
            return slot + 2 <= vtableLength && u16(vtable + slot) != 0;
        }

        int i8(int index, int defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 1, name);
            return at < 0 ? defaultValue : buf.get(at);
        }

        int u8(int index, int defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 1, name);
            return at < 0 ? defaultValue : FlatBufferReader.this.u8(at);
        }

        boolean bool(int index, boolean defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 1, name);
            return at < 0 ? defaultValue : buf.get(at) != 0;
        }

        int i32(int index, int defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 4, name);
            return at < 0 ? defaultValue : FlatBufferReader.this.i32(at);
        }

        long u32(int index, long defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 4, name);
            return at < 0 ? defaultValue : FlatBufferReader.this.u32(at);
        }

        long i64(int index, long defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 8, name);
            return at < 0 ? defaultValue : FlatBufferReader.this.i64(at);
        }

        float f32(int index, float defaultValue, String name) throws TfliteFormatException {
            int at = field(index, 4, name);
            return at < 0 ? defaultValue : FlatBufferReader.this.f32(at);
        }

        /** Follows a uoffset field; -1 when the field is absent. */
        private long target(int index, String name) throws TfliteFormatException {
            int at = field(index, 4, name);
            if (at < 0) {
                return -1;
            }
            long target = at + FlatBufferReader.this.u32(at);
            need(target, 4, where, name);
            return target;
        }

        /** A sub-table, or null when absent. */
        Table table(int index, String name, String childWhere) throws TfliteFormatException {
            long target = target(index, name);
            return target < 0 ? null : FlatBufferReader.this.table(target, childWhere);
        }

        /** A vector of {@code elementSize}-byte elements, or null when absent. */
        Vector vector(int index, int elementSize, String name) throws TfliteFormatException {
            long target = target(index, name);
            if (target < 0) {
                return null;
            }
            return vectorAt(target, elementSize, where, name);
        }

        String string(int index, String name) throws TfliteFormatException {
            long target = target(index, name);
            if (target < 0) {
                return null;
            }
            Vector v = vectorAt(target, 1, where, name);
            need(v.start(), (long) v.length() + 1, where, name + " (string with its terminating zero)");
            if (buf.get(v.start() + v.length()) != 0) {
                throw error(where, name + ": string is not zero-terminated");
            }
            byte[] bytes = new byte[v.length()];
            buf.get(v.start(), bytes);
            // names from the file end up in reports and messages: control characters and invalid UTF-8 as \xNN
            return Printable.decode(bytes, 0, bytes.length);
        }

        int[] intVector(int index, String name, int maxLength) throws TfliteFormatException {
            Vector v = vector(index, 4, name);
            if (v == null) {
                return null;
            }
            checkLength(v, maxLength, name);
            int[] out = new int[v.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = FlatBufferReader.this.i32(v.start() + 4 * i);
            }
            return out;
        }

        float[] floatVector(int index, String name, int maxLength) throws TfliteFormatException {
            Vector v = vector(index, 4, name);
            if (v == null) {
                return null;
            }
            checkLength(v, maxLength, name);
            float[] out = new float[v.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = FlatBufferReader.this.f32(v.start() + 4 * i);
            }
            return out;
        }

        long[] longVector(int index, String name, int maxLength) throws TfliteFormatException {
            Vector v = vector(index, 8, name);
            if (v == null) {
                return null;
            }
            checkLength(v, maxLength, name);
            long[] out = new long[v.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = FlatBufferReader.this.i64(v.start() + 8 * i);
            }
            return out;
        }

        /** Positions of the tables a vector of offsets points at (the tables themselves are not checked yet). */
        long[] tableVector(int index, String name, int maxLength) throws TfliteFormatException {
            Vector v = vector(index, 4, name);
            if (v == null) {
                return null;
            }
            checkLength(v, maxLength, name);
            long[] out = new long[v.length()];
            for (int i = 0; i < out.length; i++) {
                int slot = v.start() + 4 * i;
                out[i] = slot + FlatBufferReader.this.u32(slot);
            }
            return out;
        }

        private void checkLength(Vector v, int maxLength, String name) throws TfliteFormatException {
            if (v.length() > maxLength) {
                throw error(where, name + ": " + v.length() + " entries exceed the limit of " + maxLength);
            }
        }
    }

    private Vector vectorAt(long target, int elementSize, String where, String name) throws TfliteFormatException {
        aligned(target, 4, where, name + " (vector)");
        long length = u32((int) target);
        long start = target + 4;
        need(start, length * elementSize, where, name + " (vector of " + length + " entries)");
        charge(length * elementSize / 4 + 1, where);
        return new Vector((int) start, (int) length);
    }
}
