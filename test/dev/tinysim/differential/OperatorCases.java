package dev.tinysim.differential;

import dev.tinysim.tflite.ModelBuilder;

import java.util.List;

/**
 * Random models for one family of operators, for {@link DifferentialTest}: each model is run by the Java
 * reference interpreter and by the emulated firmware, which must agree bit for bit (or both reject it).
 * A new family is one class implementing this and one line in {@link Families#ALL}.
 */
public interface OperatorCases {

    /** The operator × type combinations this family generates. */
    List<Variant> variants();

    /**
     * Builds one random model of the variant into {@code b}, graph inputs and outputs included. Most models
     * should be valid (the reference accepts them); a model the reference rejects must be rejected by the
     * firmware too, which the test also checks.
     */
    void build(Variant v, Gen g, ModelBuilder b);
}
