package dev.tinysim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tinysim.files.IoReasons;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Prints reports, or writes them to a file through a temporary file and a rename (never half-written). */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static String json(Object report) {
        try {
            return JSON.writeValueAsString(report) + "\n";
        } catch (IOException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot serialise the report: " + e.getMessage(), e);
        }
    }

    /** A report's JSON with one more top-level field, {@code key}, at its end (a report record that does not carry it). */
    public static String json(Object report, String key, Object value) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(report);
            tree.set(key, JSON.valueToTree(value));
            return JSON.writeValueAsString(tree) + "\n";
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot serialise the report: " + e.getMessage(), e);
        }
    }

    /** Writes text to {@code target} atomically, or to {@code out} when target is null. */
    public static void emit(String text, Path target, PrintStream out) {
        if (target == null) {
            out.print(text);
            out.flush();
            return;
        }
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code bytes} to {@code target} through a temporary file and a rename, so the target is either the
     * old file or the whole new one. A target that exists and is not a regular file (/dev/null, /dev/stdout, a
     * FIFO) is written directly; a regular file without any write permission bit is refused, as the user marked
     * it read-only (a rename would replace it even where a plain write is refused).
     */
    public static void writeAtomically(Path target, byte[] bytes) {
        if (target.toString().isEmpty()) {
            throw new CliException(ExitCode.CANNOT_WRITE, "empty file name given for the output file");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            if (Files.isDirectory(target)) {
                throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write (a directory)");
            }
            writeDirectly(target, bytes);
            return;
        }
        if (Files.isRegularFile(target) && isReadOnly(target)) {
            throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write (the file is read-only)");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write (" + existing + " is not a directory)");
            }
            throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write: directory " + dir + " does not exist");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            Files.write(tmp, bytes);
            try {
                // createTempFile makes it private (0600); a report is an ordinary file (0644, as the shell would make it)
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep what it made
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (AccessDeniedException e) {
            throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write (permission denied in directory "
                    + dir + ")", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write (" + IoReasons.reason(e) + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static void writeDirectly(Path target, byte[] bytes) {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new CliException(ExitCode.CANNOT_WRITE, target + ": cannot write (" + IoReasons.reason(e) + ")", e);
        }
    }

    /** No write bit for owner, group or others (where the file system has POSIX permissions). */
    private static boolean isReadOnly(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return !p.contains(PosixFilePermission.OWNER_WRITE) && !p.contains(PosixFilePermission.GROUP_WRITE)
                    && !p.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return !Files.isWritable(file);
        }
    }
}
