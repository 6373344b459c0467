package dev.tinysim.firmware;

import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed ELFs are exactly what `make` builds from the committed sources. */
class PrebuiltImagesAreReproducibleTest {
    @Test
    void makeCheckRebuildsEveryImageBitIdentically() throws Exception {
        Assumptions.assumeTrue(Toolchain.available(), "arm-none-eabi-gcc is not installed");
        Toolchain.Output out = Toolchain.run(List.of("make", "-C", "firmware-images", "--no-print-directory",
                "BUILD=build/test-" + ProcessHandle.current().pid(), "check"));
        assertEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("identical: selftest-m4f.elf"), out.text());
        assertTrue(out.text().contains("identical: runtime-m4.elf"), out.text());
    }
}
