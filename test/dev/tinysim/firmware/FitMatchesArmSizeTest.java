package dev.tinysim.firmware;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.support.Toolchain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fit report's flash and static-RAM figures agree with arm-none-eabi-size (Berkeley format:
 * flash = text + data, static RAM = data + bss). .ci/run installs the toolchain, so CI always runs this.
 */
class FitMatchesArmSizeTest {
    @ParameterizedTest
    @ValueSource(strings = {"selftest-m4f.elf", "selftest-m4.elf", "bench-m4f.elf", "faults-m4f.elf", "faults-m4.elf",
            "runtime-m4f.elf", "runtime-m4.elf"})
    void flashAndStaticRamEqualArmSize(String image) throws Exception {
        Assumptions.assumeTrue(Toolchain.available(), "arm-none-eabi-size is not installed");
        Path elf = Path.of("firmware-images/prebuilt", image);
        Toolchain.Output out = Toolchain.run(List.of("arm-none-eabi-size", "-B", elf.toString()));
        assertEquals(0, out.exitCode(), out.text());
        String[] row = out.text().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+");
        long text = Long.parseLong(row[0]), data = Long.parseLong(row[1]), bss = Long.parseLong(row[2]);

        Board board = Boards.load("nrf52840", false);
        FirmwareImage.MemoryUse use = FirmwareImage.read(elf).memoryUse(board);
        assertEquals(text, use.text(), "text");
        assertEquals(data, use.data(), "data");
        assertEquals(bss, use.bss(), "bss");
        assertEquals(text + data, use.flash(), "flash = every PT_LOAD byte placed in flash = text + data");
        assertEquals(data + bss, use.staticRam(), "static RAM = data + bss");
    }
}
