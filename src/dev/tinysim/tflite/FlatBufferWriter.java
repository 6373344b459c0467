package dev.tinysim.tflite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a FlatBuffer front to back: each table is written (vtable first, then the table), then its
 * children in field order, and the children's uoffsets are patched in. Children therefore always follow
 * the field that points at them, which keeps every uoffset positive as the format requires. Scalars are
 * aligned to their size, tables to 4 (8 with 64-bit fields), vectors to 4 and their elements to
 * max(element size, force_align).
 */
final class FlatBufferWriter {

    private byte[] buf = new byte[4096];
    private int size;

    int position() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        if ((long) size + extra > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("model exceeds the 2 GB flatbuffer limit");
        }
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    /** Pads with zeros until {@code (position + offset) % alignment == 0}. */
    void align(int alignment, int offset) {
        while ((size + offset) % alignment != 0) {
            putByte(0);
        }
    }

    void putByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void putShort(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >> 8);
    }

    void putInt(int v) {
        ensure(4);
        patchInt(size, v);
        size += 4;
    }

    void putLong(long v) {
        putInt((int) v);
        putInt((int) (v >>> 32));
    }

    void putBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    void patchInt(int pos, int v) {
        buf[pos] = (byte) v;
        buf[pos + 1] = (byte) (v >> 8);
        buf[pos + 2] = (byte) (v >> 16);
        buf[pos + 3] = (byte) (v >> 24);
    }

    void patchShort(int pos, int v) {
        buf[pos] = (byte) v;
        buf[pos + 1] = (byte) (v >> 8);
    }

    /** Something written after its parent; returns the absolute position a uoffset must point at. */
    @FunctionalInterface
    interface Child {
        int write(FlatBufferWriter w);
    }

    /** A table under construction: scalar fields and children, by schema field index. */
    static final class Table {
        private record Field(int index, int size, long bits, Child child) {
        }

        private final List<Field> fields = new ArrayList<>();

        Table i8(int index, int value, int defaultValue) {
            return value == defaultValue ? this : add(new Field(index, 1, value, null));
        }

        Table bool(int index, boolean value, boolean defaultValue) {
            return value == defaultValue ? this : add(new Field(index, 1, value ? 1 : 0, null));
        }

        Table i32(int index, int value, int defaultValue) {
            return value == defaultValue ? this : add(new Field(index, 4, value, null));
        }

        Table i64(int index, long value, long defaultValue) {
            return value == defaultValue ? this : add(new Field(index, 8, value, null));
        }

        Table f32(int index, float value, float defaultValue) {
            return Float.floatToRawIntBits(value) == Float.floatToRawIntBits(defaultValue) ? this
                    : add(new Field(index, 4, Float.floatToRawIntBits(value), null));
        }

        Table child(int index, Child child) {
            return child == null ? this : add(new Field(index, 4, 0, child));
        }

        private Table add(Field f) {
            fields.add(f);
            return this;
        }

        /** Writes vtable, table and then the children; returns the table's position. */
        int write(FlatBufferWriter w) {
            int fieldCount = 0;
            int maxAlign = 4;
            for (Field f : fields) {
                fieldCount = Math.max(fieldCount, f.index() + 1);
                maxAlign = Math.max(maxAlign, f.size());
            }
            // Lay out the object: soffset at 0, then fields by decreasing size so each is naturally aligned.
            int[] offsetOf = new int[fields.size()];
            int cursor = 4;
            for (int s : new int[] {8, 4, 2, 1}) {
                for (int i = 0; i < fields.size(); i++) {
                    if (fields.get(i).size() == s) {
                        cursor = (cursor + s - 1) / s * s;
                        offsetOf[i] = cursor;
                        cursor += s;
                    }
                }
            }
            int objectSize = cursor;
            w.align(2, 0);
            int vtable = w.position();
            int vtableSize = 4 + 2 * fieldCount;
            for (int i = 0; i < vtableSize; i += 2) {
                w.putShort(0);
            }
            w.align(maxAlign, 0);
            int table = w.position();
            w.ensure(objectSize);
            for (int i = 0; i < objectSize; i++) {
                w.putByte(0);
            }
            w.patchInt(table, table - vtable);
            w.patchShort(vtable, vtableSize);
            w.patchShort(vtable + 2, objectSize);
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                w.patchShort(vtable + 4 + 2 * f.index(), offsetOf[i]);
                int at = table + offsetOf[i];
                switch (f.size()) {
                    case 1 -> w.buf[at] = (byte) f.bits();
                    case 4 -> w.patchInt(at, (int) f.bits());
                    case 8 -> {
                        w.patchInt(at, (int) f.bits());
                        w.patchInt(at + 4, (int) (f.bits() >>> 32));
                    }
                    default -> throw new IllegalStateException("field size " + f.size());
                }
            }
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                if (f.child() != null) {
                    int at = table + offsetOf[i];
                    int target = f.child().write(w);
                    w.patchInt(at, target - at);
                }
            }
            return table;
        }
    }

    static Child string(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return w -> {
            w.align(4, 0);
            int pos = w.position();
            w.putInt(bytes.length);
            w.putBytes(bytes);
            w.putByte(0);
            return pos;
        };
    }

    static Child ints(List<Integer> values, boolean writeEmpty) {
        if (values.isEmpty() && !writeEmpty) {
            return null;
        }
        return w -> {
            w.align(4, 0);
            int pos = w.position();
            w.putInt(values.size());
            for (int v : values) {
                w.putInt(v);
            }
            return pos;
        };
    }

    static Child floats(List<Float> values) {
        if (values.isEmpty()) {
            return null;
        }
        return w -> {
            w.align(4, 0);
            int pos = w.position();
            w.putInt(values.size());
            for (float v : values) {
                w.putInt(Float.floatToRawIntBits(v));
            }
            return pos;
        };
    }

    static Child longs(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        return w -> {
            w.align(8, 4); // elements 8-aligned, so the length prefix sits at 8k + 4
            int pos = w.position();
            w.putInt(values.size());
            for (long v : values) {
                w.putLong(v);
            }
            return pos;
        };
    }

    /** A byte vector whose first element is aligned to {@code alignment} (16 for buffer data). */
    static Child bytes(byte[] data, int alignment) {
        if (data == null) {
            return null;
        }
        return w -> {
            w.align(4, 0);
            w.align(alignment, 4);
            int pos = w.position();
            w.putInt(data.length);
            w.putBytes(data);
            return pos;
        };
    }

    /** A vector of tables: the offset slots first, then each table, patched into its slot. */
    static Child tables(List<Table> tables) {
        if (tables.isEmpty()) {
            return null;
        }
        return w -> {
            w.align(4, 0);
            int pos = w.position();
            w.putInt(tables.size());
            for (int i = 0; i < tables.size(); i++) {
                w.putInt(0);
            }
            for (int i = 0; i < tables.size(); i++) {
                int slot = pos + 4 + 4 * i;
                int table = tables.get(i).write(w);
                w.patchInt(slot, table - slot);
            }
            return pos;
        };
    }

    /** The whole file: root uoffset, file identifier, root table (and everything under it). */
    static byte[] finish(Table root, String fileIdentifier) {
        FlatBufferWriter w = new FlatBufferWriter();
        w.putInt(0);
        w.putBytes(fileIdentifier.getBytes(StandardCharsets.US_ASCII));
        int rootPos = root.write(w);
        w.patchInt(0, rootPos);
        w.align(16, 0);
        return w.toByteArray();
    }
}
