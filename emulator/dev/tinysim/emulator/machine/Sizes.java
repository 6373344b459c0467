package dev.tinysim.emulator.machine;

import java.util.Locale;

/** Byte counts as people write them: "1 MB", "256 KB", "1.2 MB", "812 bytes". */
public final class Sizes {
    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes >= 1024 * 1024) {
            double mb = bytes / (1024.0 * 1024.0);
            return (mb == Math.rint(mb) ? String.format(Locale.ROOT, "%.0f", mb) : String.format(Locale.ROOT, "%.1f", mb)) + " MB";
        }
        if (bytes >= 1024) {
            double kb = bytes / 1024.0;
            return (kb == Math.rint(kb) ? String.format(Locale.ROOT, "%.0f", kb) : String.format(Locale.ROOT, "%.1f", kb)) + " KB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
