package dev.tinysim.emulator.board;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which file set each field of a board (through "extends"), and which cited sources still apply. */
final class BoardOrigins {
    private BoardOrigins() {
    }

    /**
     * A cited source applies to a value only when the same file set both: a child that overrides
     * a parent's number does not inherit the parent's citation for it.
     */
    static Map<String, String> attributedSources(Map<String, String> sources, Map<String, String> origins) {
        Map<String, String> out = new LinkedHashMap<>();
        sources.forEach((path, text) -> {
            String valueOrigin = origins.get(path);
            String sourceOrigin = origins.get("sources." + path);
            if (valueOrigin == null || valueOrigin.equals(sourceOrigin)) {
                out.put(path, text);
            }
        });
        return out;
    }

    /** Records the file behind every leaf (and every list, as a whole) of {@code node}. */
    static void recordOrigins(JsonNode node, String prefix, String origin, Map<String, String> origins) {
        recordOrigins(node, prefix, origin, origins, false);
    }

    static void recordOrigins(JsonNode node, String prefix, String origin, Map<String, String> origins,
                                      boolean onlyMissing) {
        if (origin == null) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (e.getValue().isObject()) {
                    recordOrigins(e.getValue(), path, origin, origins, onlyMissing);
                } else if (!onlyMissing || !origins.containsKey(path)) {
                    origins.put(path, origin);
                }
            }
        }
    }
}
