package dev.tinysim.data;

/**
 * The element types a data file can hold, with the NumPy names tinysim prints ({@code float32}, {@code int8}, …).
 * Every value is held as a Java float once read ({@link Dataset}): exact for every type but 32- and 64-bit integers
 * beyond 2^24 and float64 values that need more than float precision (data for float32 and int8 models never does).
 */
public enum DataType {
    FLOAT32("float32"),
    FLOAT64("float64"),
    INT8("int8"),
    UINT8("uint8"),
    INT16("int16"),
    INT32("int32"),
    INT64("int64"),
    BOOL("bool");

    private final String numpyName;

    DataType(String numpyName) {
        this.numpyName = numpyName;
    }

    /** "float32", "uint8", … (what NumPy calls the dtype). */
    public String numpyName() {
        return numpyName;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
