package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tinysim.emulator.units.Units;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The field readers every section of a board file uses: each throws "WHERE: problem" naming the field. */
final class BoardFields {
    private BoardFields() {
    }

    static void checkFields(ObjectNode n, Set<String> allowed, String where, String prefix) throws BoardException {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new BoardException(where + ": unknown field " + PeripheralOptions.shown(prefix + f));
            }
        }
    }

    static String text(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new BoardException(where + ": missing field \"" + prefix + field + "\"");
        }
        if (!v.isTextual()) {
            throw new BoardException(where + ": \"" + prefix + field + "\" must be a string");
        }
        return v.asText();
    }

    static ObjectNode object(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new BoardException(where + ": missing field \"" + prefix + field + "\"");
        }
        if (!v.isObject()) {
            throw new BoardException(where + ": \"" + prefix + field + "\" must be an object");
        }
        return (ObjectNode) v;
    }

    static JsonNode array(JsonNode n, String field, String where) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new BoardException(where + ": missing field \"" + field + "\"");
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new BoardException(where + ": \"" + field + "\" must be a non-empty list");
        }
        return v;
    }

    /** A number written as JSON integer or as a string: decimal or 0x hex. */
    static long number(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new BoardException(where + ": missing field \"" + prefix + field + "\"");
        }
        return parseNumber(v, where, prefix + field);
    }

    private static long parseNumber(JsonNode v, String where, String field) throws BoardException {
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw new BoardException(where + ": \"" + field + "\" must be a non-negative integer");
            }
            return v.asLong();
        }
        if (v.isTextual()) {
            String s = v.asText().strip().replace("_", "");
            try {
                long value = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new BoardException(where + ": \"" + field + "\" is not a number (\"" + v.asText() + "\")");
            }
        }
        throw new BoardException(where + ": \"" + field + "\" must be a number");
    }

    /** A size: integer bytes, or a string in the one size grammar ({@link Units#parseBytes}: "256K", "1M", "0x10K", "1.5M"). */
    static long size(JsonNode v, String where, String field, boolean zeroAllowed) throws BoardException {
        if (v == null || v.isNull()) {
            throw new BoardException(where + ": missing field \"" + field + "\"");
        }
        long bytes;
        if (v.isTextual()) {
            try {
                bytes = Units.parseBytes(v.asText());
            } catch (Units.NotASize e) {
                throw new BoardException(where + ": \"" + field + "\" is not a size (\"" + v.asText() + "\"; write e.g. 262144, \"256K\" or \"1M\")");
            }
        } else {
            bytes = parseNumber(v, where, field);
        }
        if (bytes < 0 || (!zeroAllowed && bytes == 0)) {
            throw new BoardException(where + ": \"" + field + "\" must be " + (zeroAllowed ? "zero or more" : "more than zero") + " bytes");
        }
        return bytes;
    }

    static boolean bool(JsonNode n, String field, String where, String prefix) throws BoardException {
        JsonNode v = n.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new BoardException(where + ": \"" + prefix + field + "\" must be true or false");
        }
        return v.booleanValue();
    }

    static Map<String, Object> toMap(ObjectNode n) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("$comment")) {
                continue;
            }
            JsonNode v = e.getValue();
            Object value;
            if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isIntegralNumber()) {
                value = v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isObject()) {
                value = toMap((ObjectNode) v);
            } else {
                value = v.asText();
            }
            out.put(e.getKey(), value);
        }
        return out;
    }
}
