package dev.tinysim.emulator.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same inputs give the same instructions, cycles and output, run after run, and machines
 * running at the same time in several threads give exactly what they give alone.
 */
class DeterminismTest {
    private record Job(String image, String board, String cmdline) {
    }

    private static final List<Job> JOBS = List.of(
            new Job("bench-m4f.elf", "nrf52840", ""),
            new Job("selftest-m4.elf", "nrf52840-nofpu", ""),
            new Job("irq-m4f.elf", "nrf52840", "systick"),
            new Job("irq-m4f.elf", "nrf52840", "preempt"),
            new Job("faults-m4f.elf", "nrf52840", "handled-read-unmapped"),
            new Job("irq-m4.elf", "nrf52840-nofpu", "timer"));

    private static String fingerprint(Job j, String timing) throws Exception {
        BlockAccountingTest.Run r = BlockAccountingTest.run(j.image(), j.board(), timing, j.cmdline(), true, false);
        return j.image() + " " + j.cmdline() + ": " + r.result().outcome() + " instructions=" + r.result().instructions()
                + " cycles=" + r.result().cycles() + " exceptions=" + r.result().exceptions() + " console=" + r.console().hashCode();
    }

    @Test
    void parallelMachinesGiveExactlyWhatTheyGiveAlone() throws Exception {
        for (String timing : List.of("cortex-m4", "instructions")) {
            List<String> alone = new ArrayList<>();
            for (Job j : JOBS) {
                alone.add(fingerprint(j, timing));
            }
            List<String> again = new ArrayList<>();
            for (Job j : JOBS) {
                again.add(fingerprint(j, timing));
            }
            assertEquals(alone, again, "run after run");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> futures = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    for (Job j : JOBS) {
                        futures.add(pool.submit(() -> fingerprint(j, timing)));
                    }
                }
                List<String> parallel = new ArrayList<>();
                for (Future<String> f : futures) {
                    parallel.add(f.get());
                }
                List<String> expected = new ArrayList<>(alone);
                expected.addAll(alone);
                assertEquals(expected, parallel, "four threads at once");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
