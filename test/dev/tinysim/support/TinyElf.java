package dev.tinysim.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes minimal ARM ELF executables with chosen PT_LOAD segments, for refusal tests. */
public final class TinyElf {
    /** One segment: bytes stored at physicalAddress (and run at the same address). */
    public record Segment(long address, byte[] bytes) {
    }

    private TinyElf() {
    }

    public static byte[] build(Segment... segments) {
        int headers = 52 + 32 * segments.length;
        int size = headers;
        for (Segment s : segments) {
            size += s.bytes().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7F, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2);          // ET_EXEC
        b.putShort((short) 40);         // EM_ARM
        b.putInt(1);                    // EV_CURRENT
        b.putInt(segments.length > 0 ? (int) segments[0].address() + 9 : 0);   // entry
        b.putInt(52);                   // phoff
        b.putInt(0);                    // shoff
        b.putInt(0x05000400);           // EABI5, hard float
        b.putShort((short) 52);
        b.putShort((short) 32);
        b.putShort((short) segments.length);
        b.putShort((short) 40);
        b.putShort((short) 0);
        b.putShort((short) 0);
        int offset = headers;
        for (Segment s : segments) {
            b.putInt(1);                // PT_LOAD
            b.putInt(offset);
            b.putInt((int) s.address());
            b.putInt((int) s.address());
            b.putInt(s.bytes().length);
            b.putInt(s.bytes().length);
            b.putInt(5);                // R+X
            b.putInt(4);
            offset += s.bytes().length;
        }
        for (Segment s : segments) {
            b.put(s.bytes());
        }
        return b.array();
    }

    public static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
