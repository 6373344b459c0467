package dev.tinysim.differential;

import java.util.List;

/** Every family of random operator models the differential test runs. */
final class Families {
    static final List<OperatorCases> ALL = List.of(
            new CoreOperatorCases(),
            new ElementwiseOperatorCases(),
            new ShapeOperatorCases(),
            new SequenceOperatorCases(),
            new Int16OperatorCases());

    private Families() {
    }
}
