package dev.tinysim.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files a user names (models, firmware, inputs, data) with the checks a command-line tool owes them:
 * an empty name, a missing file, a directory and anything that is not a regular file (a device such as
 * /dev/zero, a FIFO that would block forever, a socket) are refused before anything is opened, and a file
 * larger than the caller's limit is refused before it is read.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * The file's bytes.
     *
     * @param what     what the file is, for messages ("model", "firmware", "input")
     * @param maxBytes the largest file the caller accepts
     */
    public static byte[] read(Path path, String what, long maxBytes) throws UnreadableFileException {
        check(path, what);
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new UnreadableFileException(UnreadableFileException.Reason.TOO_LARGE, path + ": cannot read (the file is "
                        + size + " bytes, larger than the " + maxBytes + " bytes a " + what + " file may have)");
            }
            try (InputStream in = Files.newInputStream(path)) {
                // readNBytes bounds the read even if the file grows while it is read
                byte[] data = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
                if (data.length > maxBytes) {
                    throw new UnreadableFileException(UnreadableFileException.Reason.TOO_LARGE, path
                            + ": cannot read (the file grew past " + maxBytes + " bytes while it was read)");
                }
                return data;
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableFileException(UnreadableFileException.Reason.MISSING, path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UnreadableFileException(UnreadableFileException.Reason.DENIED, path + ": cannot read (permission denied)");
        } catch (IOException e) {
            throw new UnreadableFileException(UnreadableFileException.Reason.IO, path + ": cannot read (" + IoReasons.reason(e) + ")");
        }
    }

    /** Refuses, without opening it, a path that is not an existing regular file (see the class comment). */
    public static void check(Path path, String what) throws UnreadableFileException {
        if (path.toString().isEmpty()) {
            throw new UnreadableFileException(UnreadableFileException.Reason.EMPTY_NAME, "empty file name given for the " + what);
        }
        if (!Files.exists(path)) {
            throw new UnreadableFileException(UnreadableFileException.Reason.MISSING, path + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw new UnreadableFileException(UnreadableFileException.Reason.NOT_REGULAR, path + ": cannot read (a directory)");
        }
        if (!Files.isRegularFile(path)) {
            String kind = Files.isSymbolicLink(path) && !Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? "a broken link"
                    : "not a regular file: a device, FIFO or socket";
            throw new UnreadableFileException(UnreadableFileException.Reason.NOT_REGULAR, path + ": cannot read (" + kind + ")");
        }
        if (!Files.isReadable(path)) {
            throw new UnreadableFileException(UnreadableFileException.Reason.DENIED, path + ": cannot read (permission denied)");
        }
    }
}
