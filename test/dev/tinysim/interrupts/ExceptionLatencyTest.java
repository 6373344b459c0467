package dev.tinysim.interrupts;

import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exception entry, return and tail-chaining latency against the Cortex-M4 TRM (section 3.9.1:
 * entry 12 cycles, return 10, tail-chain 6, at zero wait states — so the board here has zero-wait
 * flash and APB). The irq image times a PendSV pended by a store to ICSR (case_latency in irq.c):
 * <ul>
 * <li>entry = LDR t0 (2) + STR to ICSR, pipelined after the LDR (1) + B ending the block (1 + P = 2)
 *     + entry (12) + the handler's LDR literal (2) + LDR (2) + CBNZ taken (2) = 23, the stamp being
 *     read by the handler's next LDR;</li>
 * <li>return = the handler's stamp LDR (2) + STR, pipelined (1) + return, the BX LR included (10) = 13;</li>
 * <li>tail-chain = PendSV's stamp LDR (2) + STR (1) + tail-chain, the BX LR included (6)
 *     + SysTick's LDR literal (2) + LDR (2) + CBNZ taken (2) = 15.</li>
 * </ul>
 */
class ExceptionLatencyTest {
    @Test
    void entryReturnAndTailChainMatchTheTrm(@TempDir Path dir) throws Exception {
        Path board = dir.resolve("zero-wait.json");
        Files.writeString(board, "{ \"extends\": \"nrf52840\", \"name\": \"zero-wait\", "
                + "\"memorySystem\": { \"flash\": { \"waitStates\": 0 } }, \"timing\": { \"apbReadWaitStates\": 0 } }");
        Cli.Result r = Cli.run("run", "irq", "--board", board.toString(), "--", "latency");
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().startsWith("irq: case latency\nentry: 23\nreturn: 13\n"), r.out());
        assertTrue(r.out().contains("\ntail-chain: 15\n"), r.out());
    }

    /**
     * From flash with wait states (the nRF52840 as at reset: W = 2 per 32-bit fetch, cache off) the vector is
     * read from flash over the instruction side and the handler's first instruction is fetched as a branch
     * target's (docs/timing-model.md, "Exceptions"). The same sequences cost 30, 14 and 21 there without those
     * two rules (the static fetch model's stalls of the code around them); with them: entry + W (vector)
     * + W (the handler's first word) = 34; return + W (the first word of the code resumed) = 16; tail-chain
     * + W (vector) + W (SysTick's first word) = 25.
     */
    @Test
    void vectorReadAndHandlerFetchPayTheFlashWaitStates() {
        Cli.Result r = Cli.run("run", "irq", "--", "latency");
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().startsWith("irq: case latency\nentry: 34\nreturn: 16\n"), r.out());
        assertTrue(r.out().contains("\ntail-chain: 25\n"), r.out());
    }

    @Test
    void underTheInstructionModelExceptionsCostNothing() {
        Cli.Result r = Cli.run("run", "irq", "--timing", "instructions", "--", "latency");
        assertEquals(0, r.exitCode(), r.out());
        // 6 = the instructions from t0 to the stamp: LDR, STR, B, LDR, LDR, CBNZ; 3 = LDR, STR, BX.
        assertTrue(r.out().startsWith("irq: case latency\nentry: 6\nreturn: 3\n"), r.out());
        assertTrue(r.out().contains("\ntail-chain: 6\n"), r.out());
    }
}
