package dev.tinysim.files;

import dev.tinysim.bench.SharedModels;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that are not what a command expects: devices, FIFOs, empty names, read-only report targets. Each is
 * refused before anything is read or replaced, with one line naming the file, and the documented exit code.
 */
class UnusualFilesTest {

    private static final String MODEL = SharedModels.tflmExample("hello_world_int8.tflite").toString();

    @Test
    void devicesAndEmptyNamesAreRefusedBeforeReading() {
        Cli.Result model = Cli.run("run", "--model", "/dev/zero");
        assertEquals(66, model.exitCode());
        assertEquals("tinysim: /dev/zero: cannot read (not a regular file: a device, FIFO or socket)\n", model.err());
        Cli.Result firmware = Cli.run("run", "/dev/zero");
        assertEquals(66, firmware.exitCode());
        assertEquals("tinysim: /dev/zero: cannot read (not a regular file: a device, FIFO or socket)\n", firmware.err());
        Cli.Result empty = Cli.run("run", "--model", "");
        assertEquals(66, empty.exitCode());
        assertEquals("tinysim: empty file name given for the model\n", empty.err());
        Cli.Result emptyElf = Cli.run("run", "");
        assertEquals(66, emptyElf.exitCode());
        assertEquals("tinysim: empty file name given for the firmware\n", emptyElf.err());
    }

    @Test
    void aFifoWithNoWriterDoesNotBlock(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("model.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        Cli.Result r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> Cli.run("run", "--model", fifo.toString()));
        assertEquals(66, r.exitCode());
        assertEquals("tinysim: " + fifo + ": cannot read (not a regular file: a device, FIFO or socket)\n", r.err());
    }

    @Test
    void aReadOnlyReportIsNotReplaced(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.json");
        Files.writeString(out, "keep me\n");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r--r--r--"));
        Cli.Result r = Cli.run("run", "selftest", "--format", "json", "-o", out.toString());
        assertEquals(73, r.exitCode());
        assertEquals("tinysim: " + out + ": cannot write (the file is read-only)\n", r.err());
        assertEquals("keep me\n", Files.readString(out));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aReportCanGoToADevice() {
        Cli.Result r = Cli.run("run", "selftest", "--format", "json", "-o", "/dev/null");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")),
                "/dev/null is still the device, not a file renamed over it");
    }

    @Test
    void inputFilesAreCheckedToo() {
        Cli.Result r = Cli.run("run", "--model", MODEL, "--input", "/dev/zero");
        assertEquals(66, r.exitCode());
        assertEquals("tinysim: /dev/zero: cannot read (not a regular file: a device, FIFO or socket)\n", r.err());
    }

    @Test
    void outputWriteErrorsNameTheTargetAndTheReason(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        for (Path target : new Path[]{file.resolve("report.txt"), file.resolve("sub").resolve("report.txt")}) {
            Cli.Result r = Cli.run("boards", "-o", target.toString());
            assertEquals(73, r.exitCode());
            assertEquals("tinysim: " + target + ": cannot write (" + file + " is not a directory)\n", r.err());
        }
        Cli.Result full = Cli.run("boards", "-o", "/dev/full");
        assertEquals(73, full.exitCode());
        assertEquals("tinysim: /dev/full: cannot write (no space left on device)\n", full.err());
        Cli.Result proc = Cli.run("boards", "-o", "/proc/tinysim-report.txt");
        assertEquals(73, proc.exitCode());
        assertEquals("tinysim: /proc/tinysim-report.txt: cannot write (no such file or directory)\n", proc.err());
        Cli.Result empty = Cli.run("boards", "-o", "");
        assertEquals(73, empty.exitCode());
        assertEquals("tinysim: empty file name given for the output file\n", empty.err());
    }

    @Test
    void aReadErrorNamesTheFileAndTheReason() {
        Cli.Result r = Cli.run("run", "--model", "/proc/self/mem");
        assertEquals(66, r.exitCode());
        assertEquals("tinysim: /proc/self/mem: cannot read (input/output error)\n", r.err());
        Cli.Result firmware = Cli.run("run", "/proc/self/mem");
        assertEquals("tinysim: /proc/self/mem: cannot read (input/output error)\n", firmware.err());
        assertEquals(66, firmware.exitCode(), "a firmware that cannot be read is exit 66, as a model");
    }
}
