package dev.tinysim.compare;

import dev.tinysim.emulator.disasm.CapstoneDisassembler;
import dev.tinysim.emulator.engine.unicorn.UnicornEngine;

/**
 * Binds Unicorn and Capstone (java.lang.foreign downcall handles: a few hundred milliseconds of class generation the
 * first time, then cached for the process) on a background thread while the command line still reads the board
 * profile and the models, so that the first machines start sooner. It opens and closes one instance of each; any
 * failure is ignored here (a missing library is reported by the run itself, exit 69).
 */
final class EngineWarmup {
    private EngineWarmup() {
    }

    static void run() {
        try (UnicornEngine e = UnicornEngine.openCortexM4()) {
            e.description();
        } catch (Throwable ignored) {
            // reported by the real run
        }
        try (CapstoneDisassembler d = new CapstoneDisassembler()) {
            d.getClass();
        } catch (Throwable ignored) {
            // reported by the real run
        }
    }
}
