package dev.tinysim.data;

/**
 * A data file that cannot be used, with one line that names it and says what is wrong. The command line turns the
 * {@link Kind} into an exit code (missing 66, corrupt 65, not for this model 65, bad option 64).
 */
public final class DataException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The file or folder does not exist or cannot be read. */
        MISSING,
        /** The file is not what its name says, is truncated, or holds something tinysim does not read. */
        CORRUPT,
        /** The data is fine but does not fit the model's input (shape, type, sample rate, labels). */
        MISMATCH,
        /** An option does not go with this data (--array on a .csv, --label-column naming no column). */
        USAGE
    }

    private final Kind kind;

    public DataException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static DataException corrupt(Object file, String what) {
        return new DataException(Kind.CORRUPT, file + ": " + what);
    }

    static DataException mismatch(Object file, String what) {
        return new DataException(Kind.MISMATCH, file + ": " + what);
    }

    static DataException usage(String what) {
        return new DataException(Kind.USAGE, what);
    }
}
