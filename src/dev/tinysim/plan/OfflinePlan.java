package dev.tinysim.plan;

import dev.tinysim.tflite.Metadata;
import dev.tinysim.tflite.TfliteModel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TFLite Micro's offline memory plan (tensorflow/lite/micro/docs/memory_management.md): model metadata named
 * {@code OfflineMemoryAllocation} whose buffer holds int32 values [version, subgraphs, n, offset of tensor 0, …,
 * offset of tensor n − 1], each offset from the start of the arena's planned part, -1 = planned online.
 * TFLite Micro reads only n and the offsets (n must equal the tensor count); tinysim writes version 1 and
 * subgraph count 1, as TFLite Micro's own tests do.
 */
public final class OfflinePlan {
    public static final String METADATA_NAME = "OfflineMemoryAllocation";

    private OfflinePlan() {
    }

    /**
     * The offsets of subgraph 0's tensors (-1 = online), or empty when the model has no offline plan.
     *
     * @throws IllegalArgumentException the metadata is malformed (too short, a count that is not the tensor count,
     *                                  an offset below -1 or not a multiple of 16)
     */
    public static Optional<long[]> read(TfliteModel model) {
        long[] found = null;
        for (Metadata m : model.metadata()) {
            if (!m.name().equals(METADATA_NAME)) {
                continue;
            }
            if (m.buffer() < 0 || m.buffer() >= model.buffers().size()) {
                throw new IllegalArgumentException(METADATA_NAME + " metadata: buffer " + m.buffer() + " does not exist");
            }
            ByteBuffer data = model.buffers().get(m.buffer()).data();
            int tensors = model.mainSubgraph().tensors().size();
            if (data.remaining() < 12 || data.getInt(8) != tensors || (data.remaining() - 12) / 4 < tensors) {
                throw new IllegalArgumentException(METADATA_NAME + " metadata: " + (data.remaining() < 12 ? data.remaining()
                        + " bytes, too short for its header" : "holds " + (data.remaining() >= 12 ? data.getInt(8) : 0)
                        + " offsets in " + data.remaining() + " bytes, but subgraph 0 has " + tensors + " tensors"));
            }
            found = new long[tensors];
            for (int i = 0; i < tensors; i++) {
                int v = data.getInt(12 + 4 * i);
                if (v < -1 || (v >= 0 && v % Buffer.ALIGNMENT != 0)) {
                    throw new IllegalArgumentException(METADATA_NAME + " metadata: tensor " + i + " at offset " + v
                            + " (an offset is -1 or a non-negative multiple of 16)");
                }
                found[i] = v;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The metadata buffer's int32 values for the given tensor offsets. */
    public static byte[] encode(long[] offsets) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * offsets.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(1).putInt(offsets.length);
        for (long o : offsets) {
            b.putInt(Math.toIntExact(o));
        }
        return b.array();
    }

    /**
     * The model file with an OfflineMemoryAllocation plan of the given tensor offsets (one per tensor of subgraph 0,
     * -1 = online), replacing any plan it had. Everything else is kept byte for byte: the original flatbuffer
     * follows a new root table (16-byte aligned, so its buffers keep their alignment), which points into it for the
     * operator codes, subgraphs, description, signatures and the existing buffers and metadata, and adds one buffer
     * and one metadata entry.
     */
    public static byte[] write(byte[] original, TfliteModel model, long[] offsets) {
        if (offsets.length != model.mainSubgraph().tensors().size()) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + model.mainSubgraph().tensors().size() + " tensors");
        }
        Root root = Root.read(original);
        byte[] data = encode(offsets);
        byte[] name = METADATA_NAME.getBytes(StandardCharsets.US_ASCII);
        List<Long> keptMetadata = new ArrayList<>();
        for (int i = 0; i < model.metadata().size(); i++) {
            if (!model.metadata().get(i).name().equals(METADATA_NAME)) {
                keptMetadata.add(root.metadata.get(i));
            }
        }
        int nbuf = model.buffers().size();
        Head l = Head.of(nbuf, keptMetadata.size(), name.length, data.length);

        ByteBuffer h = ByteBuffer.allocate(l.head()).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, l.table());
        h.put(4, "TFL3".getBytes(StandardCharsets.US_ASCII));
        rootTable(h, l, root);
        vectors(h, l, root, nbuf, keptMetadata);
        planTables(h, l, nbuf, name, data);

        ByteArrayOutputStream out = new ByteArrayOutputStream(l.head() + original.length);
        out.writeBytes(h.array());
        out.writeBytes(original);
        return out.toByteArray();
    }

    /** The layout of the new head (positions in the new file); the original flatbuffer follows at {@code head}. */
    private record Head(int vtRoot, int table, int bufVec, int metaVec, int vtBuffer, int bufTable, int vtMeta,
                        int metaTable, int nameStr, int dataVec, int head) {
        static Head of(int nbuf, int keptMetadata, int nameLength, int dataLength) {
            int vtRoot = 8;                                   // 4 + 2 × 8 fields = 20 bytes
            int table = vtRoot + 20;                          // soffset + version + 7 offsets = 36 bytes
            int bufVec = table + 36;
            int metaVec = bufVec + 4 + 4 * (nbuf + 1);
            int vtBuffer = metaVec + 4 + 4 * (keptMetadata + 1);   // 4 + 2 = 6 → 8 bytes
            int bufTable = vtBuffer + 8;                      // soffset + data offset
            int vtMeta = bufTable + 8;                        // 4 + 2 × 2 = 8 bytes
            int metaTable = vtMeta + 8;                       // soffset + name offset + buffer index
            int nameStr = metaTable + 12;
            int dataVec = align(nameStr + 4 + nameLength + 1, 4);
            dataVec += Math.floorMod(12 - dataVec, 16);       // the data itself 16-byte aligned
            int head = align(dataVec + 4 + dataLength, 16);
            return new Head(vtRoot, table, bufVec, metaVec, vtBuffer, bufTable, vtMeta, metaTable, nameStr, dataVec, head);
        }
    }

    /** The new root table and its vtable: the original's fields moved by the head, buffers and metadata the new vectors. */
    private static void rootTable(ByteBuffer h, Head l, Root root) {
        long delta = l.head();                            // the original flatbuffer starts here
        int vtRoot = l.vtRoot();
        int table = l.table();
        // root vtable: 8 fields, each 4 bytes after the soffset in field order
        h.putShort(vtRoot, (short) 20);
        h.putShort(vtRoot + 2, (short) 36);
        for (int f = 0; f < 8; f++) {
            boolean present = f == 0 || f == 4 || f == 6 || root.field[f] >= 0;
            h.putShort(vtRoot + 4 + 2 * f, (short) (present ? 4 + 4 * f : 0));
        }
        h.putInt(table, table - vtRoot);
        h.putInt(table + 4, (int) root.version);
        for (int f = 1; f < 8; f++) {
            int at = table + 4 + 4 * f;
            long target = switch (f) {
                case 4 -> l.bufVec();
                case 6 -> l.metaVec();
                default -> root.field[f] < 0 ? -1 : root.field[f] + delta;
            };
            if (target >= 0) {
                h.putInt(at, (int) (target - at));
            }
        }
    }

    /** The buffers vector (the original ones, then the plan's) and the metadata vector (the kept entries, then the plan). */
    private static void vectors(ByteBuffer h, Head l, Root root, int nbuf, List<Long> keptMetadata) {
        long delta = l.head();
        int bufVec = l.bufVec();
        int metaVec = l.metaVec();
        h.putInt(bufVec, nbuf + 1);
        for (int i = 0; i < nbuf; i++) {
            int at = bufVec + 4 + 4 * i;
            h.putInt(at, (int) (root.buffers.get(i) + delta - at));
        }
        h.putInt(bufVec + 4 + 4 * nbuf, l.bufTable() - (bufVec + 4 + 4 * nbuf));
        // metadata: the original entries (but an old plan), then the new one
        h.putInt(metaVec, keptMetadata.size() + 1);
        for (int i = 0; i < keptMetadata.size(); i++) {
            int at = metaVec + 4 + 4 * i;
            h.putInt(at, (int) (keptMetadata.get(i) + delta - at));
        }
        int lastMeta = metaVec + 4 + 4 * keptMetadata.size();
        h.putInt(lastMeta, l.metaTable() - lastMeta);
    }

    /** The plan's Buffer {data} and Metadata {name, buffer} tables, the name string and the data vector. */
    private static void planTables(ByteBuffer h, Head l, int nbuf, byte[] name, byte[] data) {
        int vtBuffer = l.vtBuffer();
        int bufTable = l.bufTable();
        int vtMeta = l.vtMeta();
        int metaTable = l.metaTable();
        h.putShort(vtBuffer, (short) 6);
        h.putShort(vtBuffer + 2, (short) 8);
        h.putShort(vtBuffer + 4, (short) 4);
        h.putInt(bufTable, bufTable - vtBuffer);
        h.putInt(bufTable + 4, l.dataVec() - (bufTable + 4));
        h.putShort(vtMeta, (short) 8);
        h.putShort(vtMeta + 2, (short) 12);
        h.putShort(vtMeta + 4, (short) 4);
        h.putShort(vtMeta + 6, (short) 8);
        h.putInt(metaTable, metaTable - vtMeta);
        h.putInt(metaTable + 4, l.nameStr() - (metaTable + 4));
        h.putInt(metaTable + 8, nbuf);
        h.putInt(l.nameStr(), name.length);
        h.put(l.nameStr() + 4, name);
        h.putInt(l.dataVec(), data.length);
        h.put(l.dataVec() + 4, data);
    }

    private static int align(int v, int to) {
        return (v + to - 1) / to * to;
    }

    /** The original Model table: its scalar version and where its offset fields point (absolute positions). */
    private static final class Root {
        final long[] field = new long[8];   // absolute target of offset fields 1–7, -1 when absent
        long version;
        final List<Long> buffers = new ArrayList<>();
        final List<Long> metadata = new ArrayList<>();

        static Root read(byte[] file) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            Root r = new Root();
            int table = b.getInt(0);
            int vt = table - b.getInt(table);
            int vtSize = Short.toUnsignedInt(b.getShort(vt));
            for (int f = 0; f < 8; f++) {
                int slot = 4 + 2 * f;
                int off = slot + 2 <= vtSize ? Short.toUnsignedInt(b.getShort(vt + slot)) : 0;
                if (f == 0) {
                    r.version = off == 0 ? 0 : Integer.toUnsignedLong(b.getInt(table + off));
                    continue;
                }
                r.field[f] = off == 0 ? -1 : table + off + Integer.toUnsignedLong(b.getInt(table + off));
            }
            r.buffers.addAll(elements(b, r.field[4]));
            r.metadata.addAll(elements(b, r.field[6]));
            return r;
        }

        /** Absolute positions of the tables of a vector of tables. */
        private static List<Long> elements(ByteBuffer b, long vector) {
            List<Long> out = new ArrayList<>();
            if (vector < 0) {
                return out;
            }
            int n = b.getInt((int) vector);
            for (int i = 0; i < n; i++) {
                int at = (int) vector + 4 + 4 * i;
                out.add(at + Integer.toUnsignedLong(b.getInt(at)));
            }
            return out;
        }
    }

    /** The offsets of {@code plan}'s tensor buffers, per tensor of a subgraph of {@code tensors} tensors (-1 elsewhere). */
    public static long[] tensorOffsets(Plan plan, int tensors) {
        long[] out = new long[tensors];
        java.util.Arrays.fill(out, -1);
        for (int i = 0; i < plan.buffers().size(); i++) {
            Buffer b = plan.buffers().get(i);
            if (b.kind() == Buffer.Kind.tensor) {
                out[b.id()] = plan.offset(i);
            }
        }
        return out;
    }
}
