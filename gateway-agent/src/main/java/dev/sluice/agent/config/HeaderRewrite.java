package dev.sluice.agent.config;

import java.util.List;
import java.util.Map;

/**
 * Header edits applied in this order: {@code remove} names, then {@code set} (replaces), then
 * {@code add} (appends another value).
 */
public record HeaderRewrite(Map<String, String> set, Map<String, String> add, List<String> remove) {

    public static final HeaderRewrite NONE = new HeaderRewrite(Map.of(), Map.of(), List.of());

    public HeaderRewrite {
        set = Map.copyOf(set);
        add = Map.copyOf(add);
        remove = List.copyOf(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
}
