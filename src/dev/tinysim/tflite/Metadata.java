package dev.tinysim.tflite;

/** A named metadata entry pointing at a buffer (e.g. {@code min_runtime_version}). */
public record Metadata(String name, int buffer) {
}
