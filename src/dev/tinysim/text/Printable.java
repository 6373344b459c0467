package dev.tinysim.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text from files (tensor, section, symbol and board names) made safe to print on a terminal: control
 * characters (C0, DEL, C1: newlines, carriage returns, escape sequences) and bytes that are not UTF-8 are
 * shown as {@code \xNN}, and long names are cut, so a message stays one readable line whatever the file holds.
 */
public final class Printable {

    /** Longest name kept whole in a message. */
    public static final int NAME_LIMIT = 80;
    /** Longest error message printed (a message is one line; this bounds a pathological one). */
    public static final int LINE_LIMIT = 2000;

    private Printable() {
    }

    /**
     * Decodes bytes read from a file as UTF-8, keeping every byte of an invalid sequence as the escape
     * {@code \xNN} and escaping control characters, so the result prints as it was stored.
     */
    public static String decode(byte[] bytes, int offset, int length) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return escape(strict.decode(ByteBuffer.wrap(bytes, offset, length)).toString());
        } catch (CharacterCodingException e) {
            return decodeLeniently(bytes, offset, length);
        }
    }

    private static String decodeLeniently(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = offset, end = offset + length;
        CharsetDecoder one = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        while (i < end) {
            int b = bytes[i] & 0xFF;
            int n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
            if (n > 0 && i + n <= end) {
                try {
                    CharBuffer c = one.reset().decode(ByteBuffer.wrap(bytes, i, n));
                    out.append(escape(c.toString()));
                    i += n;
                    continue;
                } catch (CharacterCodingException ignored) {
                    // fall through: escape this byte
                }
            }
            out.append(String.format("\\x%02x", b));
            i++;
        }
        return out.toString();
    }

    /** Escapes C0 controls, DEL, C1 controls and backslash-x lookalikes' source (the backslash stays). */
    public static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029';
            if (control) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append(String.format("\\x%02x", (int) c & 0xFF));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** A name for a message: escaped and cut to {@link #NAME_LIMIT} characters ("…" and the full length after). */
    public static String name(String s) {
        String e = escape(s == null ? "" : s);
        if (e.length() <= NAME_LIMIT) {
            return e;
        }
        return e.substring(0, NAME_LIMIT) + "…(" + e.length() + " characters)";
    }

    /** One printable line: escaped, cut to {@link #LINE_LIMIT} characters. */
    public static String line(String s) {
        String e = escape(s == null ? "" : s);
        return e.length() <= LINE_LIMIT ? e : e.substring(0, LINE_LIMIT) + "…";
    }
}
