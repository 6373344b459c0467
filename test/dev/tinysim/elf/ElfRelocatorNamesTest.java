package dev.tinysim.elf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Section names from the ELF in the relocator's refusals are escaped and cut (issue 12, messages safe to print). */
class ElfRelocatorNamesTest {

    @Test
    void aHostileSectionNameInARefusalIsEscaped() throws Exception {
        byte[] d = Files.readAllBytes(Path.of("firmware-images/prebuilt/selftest-m4f.elf"));
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = b.getInt(32), shentsize = b.getShort(46) & 0xffff, shnum = b.getShort(48) & 0xffff;
        int shstrndx = b.getShort(50) & 0xffff;
        int strtab = b.getInt(shoff + shstrndx * shentsize + 16);
        byte[] hostile = "\u001b[31m\nA\u0007B".getBytes(StandardCharsets.US_ASCII);   // as long as ".rel.text"
        int changed = 0;
        for (int i = 0; i < shnum; i++) {
            int o = shoff + i * shentsize;
            int name = strtab + b.getInt(o);
            if (new String(d, name, 10, StandardCharsets.US_ASCII).equals(".rel.text\0")) {
                b.putInt(o + 4, 4);                        // SHT_RELA, which Arm executables do not use
                System.arraycopy(hostile, 0, d, name, hostile.length);
                changed++;
            }
        }
        assertEquals(1, changed);
        ElfFile elf = ElfFile.parse("rela.elf", d);
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfRelocator.relocate(elf, a -> a));
        assertEquals("rela.elf: cannot be moved to the board's memory: it has RELA relocations (\\x1b[31m\\x0aA\\x07B), "
                + "which Arm executables do not use", e.getMessage());
    }
}
