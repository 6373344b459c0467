package dev.tinysim.emulator.engine;

/** An engine call failed; the message carries the engine's own error text. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
