package dev.tinysim.differential;

import dev.tinysim.tflite.BuiltinOperator;

/**
 * One operator in one type configuration the differential test generates, e.g. CONV_2D "int8", "float32",
 * "hybrid" (int8 filter, float activations) or "int16" (16x8: int16 activations, int8 weights).
 */
public record Variant(BuiltinOperator op, String type) {
    @Override
    public String toString() {
        return op + " " + type;
    }
}
