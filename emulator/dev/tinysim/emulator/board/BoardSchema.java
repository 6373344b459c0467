package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a board file against boards/schema.json, the JSON Schema (2020-12) that editors can use
 * too. Supports the keywords the schema uses: type, properties, additionalProperties, required,
 * enum, pattern, minimum, maximum, items, minItems, maxItems, oneOf, not, if/then, $ref to $defs; and two of
 * its own that editors ignore: "x-message" (how to say a pattern is broken) and "x-moved" (where a
 * field that moved lives now). The first problem is reported as one line naming the file and the
 * field, in the loader's wording.
 */
public final class BoardSchema {
    private static final String RESOURCE = "boards/schema.json";
    private static final JsonNode SCHEMA = load();
    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private BoardSchema() {
    }

    private static JsonNode load() {
        try (InputStream in = BoardSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The schema, as bundled (for `tinysim boards schema`). */
    public static JsonNode schema() {
        return SCHEMA;
    }

    /** Throws with "WHERE: problem" at the first place {@code board} breaks the schema. */
    public static void validate(JsonNode board, String where) throws BoardException {
        String problem = check(SCHEMA, board, "", null);
        if (problem != null) {
            throw new BoardException(where + ": " + problem);
        }
    }

    /** A field path for a message: quoted, control characters as \xNN, cut (the keys come from the file). */
    private static String quoted(String path) {
        return PeripheralOptions.shown(path);
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** The first problem of {@code value} against {@code schema} at {@code path}, or null. */
    private static String check(JsonNode schema, JsonNode value, String path, String defName) {
        String p = checkApplicators(schema, value, path, defName);
        if (p == null) {
            p = checkValue(schema, value, path, defName);
        }
        if (p == null && value.isNumber()) {
            p = checkRange(schema, value, path);
        }
        if (p == null && value.isObject()) {
            p = checkObject(schema, value, path);
        }
        if (p == null && value.isArray()) {
            p = checkArray(schema, value, path);
        }
        return p;
    }

    /** $ref, oneOf, if/then and not. */
    private static String checkApplicators(JsonNode schema, JsonNode value, String path, String defName) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            JsonNode target = SCHEMA.at(ref.substring(1));
            String p = check(target, value, path, name);
            if (p != null) {
                return p;
            }
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            for (JsonNode alternative : schema.get("oneOf")) {
                if (check(alternative, value, path, defName) == null) {
                    matches++;
                }
            }
            if (matches != 1) {
                return alternativesMessage(defName, path, value);
            }
        }
        if (schema.has("if") && check(schema.get("if"), value, path, defName) == null && schema.has("then")) {
            String p = check(schema.get("then"), value, path, defName);
            if (p != null) {
                return p;
            }
        }
        if (schema.has("not") && check(schema.get("not"), value, path, defName) == null) {
            return quoted(path) + " is not allowed here";
        }
        return null;
    }

    /** type, enum and pattern. */
    private static String checkValue(JsonNode schema, JsonNode value, String path, String defName) {
        if (schema.has("type")) {
            String type = schema.get("type").asText();
            if (!hasType(value, type)) {
                return typeMessage(type, path, value, defName);
            }
        }
        if (schema.has("enum")) {
            boolean found = false;
            List<String> options = new ArrayList<>();
            for (JsonNode e : schema.get("enum")) {
                options.add(e.isTextual() ? "\"" + e.asText() + "\"" : e.toString());
                found |= e.equals(value) || (e.isNumber() && value.isNumber() && e.asLong() == value.asLong() && value.isIntegralNumber());
            }
            if (!found) {
                return quoted(path) + " must be one of " + String.join(", ", options) + " (got " + shown(value) + ")";
            }
        }
        if (schema.has("pattern") && value.isTextual()) {
            Pattern p = PATTERNS.computeIfAbsent(schema.get("pattern").asText(), Pattern::compile);
            if (!p.matcher(value.asText()).find()) {
                return schema.has("x-message") ? quoted(path) + " " + schema.get("x-message").asText() + " (got " + shown(value) + ")"
                        : alternativesMessage(defName, path, value);
            }
        }
        return null;
    }

    /** minimum and maximum of a number. */
    private static String checkRange(JsonNode schema, JsonNode value, String path) {
        if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
            long min = schema.get("minimum").asLong();
            return quoted(path) + " must be " + (min == 0 ? "0 or more" : "at least " + min) + " (got " + shown(value) + ")";
        }
        if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
            return quoted(path) + " must be at most " + schema.get("maximum").asLong() + " (got " + shown(value) + ")";
        }
        return null;
    }

    /** minItems, maxItems and items of a list. */
    private static String checkArray(JsonNode schema, JsonNode value, String path) {
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            return quoted(path) + " must be a non-empty list";
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            return quoted(path) + " must have at most " + schema.get("maxItems").asInt() + " items";
        }
        if (schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                String p = check(schema.get("items"), item, path + "[" + i + "]", null);
                if (p != null) {
                    return p;
                }
                i++;
            }
        }
        return null;
    }

    private static String checkObject(JsonNode schema, JsonNode value, String path) {
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!value.has(r.asText()) || value.get(r.asText()).isNull()) {
                    return "missing field " + quoted(child(path, r.asText()));
                }
            }
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = child(path, e.getKey());
            if (properties != null && properties.has(e.getKey())) {
                String problem = check(properties.get(e.getKey()), e.getValue(), p, null);
                if (problem != null) {
                    return problem;
                }
            } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                JsonNode moved = schema.path("x-moved").get(e.getKey());
                return "unknown field " + quoted(p) + (moved == null ? "" : ": the flash path is described by " + moved.asText());
            } else if (additional != null && additional.isObject()) {
                String problem = check(additional, e.getValue(), p, null);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            default -> true;
        };
    }

    private static String shown(JsonNode v) {
        if (v.isTextual()) {
            return "\"" + v.asText() + "\"";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.toString();
    }

    private static String typeMessage(String type, String path, JsonNode value, String defName) {
        if ("cycles".equals(defName) || (type.equals("integer") && path.startsWith("timing."))) {
            return quoted(path) + " must be a whole number of cycles (got " + shown(value) + ")";
        }
        return quoted(path) + switch (type) {
            case "object" -> " must be an object";
            case "array" -> " must be a list";
            case "string" -> " must be a string";
            case "boolean" -> " must be true or false";
            case "integer" -> " must be a whole number (got " + shown(value) + ")";
            default -> " must be a number (got " + shown(value) + ")";
        };
    }

    private static String alternativesMessage(String defName, String path, JsonNode value) {
        if (defName == null) {
            return quoted(path) + " has an invalid value (" + shown(value) + ")";
        }
        return switch (defName) {
            case "size", "sizeOrZero" -> quoted(path) + " is not a size (" + shown(value) + "; write e.g. 262144, \"256K\" or \"1M\")";
            case "number" -> quoted(path) + " is not a number (" + shown(value) + ")";
            case "comment" -> quoted(path) + " must be a string or a list of strings";
            default -> quoted(path) + " has an invalid value (" + shown(value) + ")";
        };
    }
}
