package dev.tinysim.plan;

/**
 * A scratch buffer an operator requested while it was prepared (TFLite Micro's RequestScratchBufferInArena;
 * the runtime's ts_request_scratch), in request order.
 *
 * @param operator the operator's index in execution order
 * @param bytes    bytes requested (0 is a valid request)
 */
public record Scratch(int operator, long bytes) {
}
