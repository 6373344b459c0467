package dev.tinysim.inference;

/**
 * Told as the runtime reports each operator ({@code @ts op} lines arrive as the firmware runs), for progress
 * bars. Called on the thread that runs the machine.
 */
@FunctionalInterface
public interface InferenceProgress {
    /** One operator of one inference finished; {@code macs} is its multiply-accumulate count (0 for most non-MAC operators). */
    void operatorDone(long macs);
}
