package dev.sluice.relay.protocol;

import dev.sluice.internal.low.json.text.JsonText;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Patch (RFC 6902) from one {@link dev.sluice.chat.PartialJson} snapshot to a later one,
 * which extends it: new members and elements are {@code add}s, a string that grew is a
 * {@code replace} of that string (JSON Patch cannot append to one), and anything else that differs
 * (a repeated member name shows its later value in the first one's place) a {@code replace} too.
 * A closed container is the same instance in every snapshot, so only what is still open is
 * descended into (an open object's or array's members are still visited: O(its width) a patch).
 */
final class GrowthPatch {
    private final StringBuilder ops = new StringBuilder();

    private GrowthPatch() {}

    /** {@return the patch from {@code before} to {@code after} as a JSON array, {@code []} when they are the same} */
    static String between(@Nullable Object before, @Nullable Object after) {
        GrowthPatch p = new GrowthPatch();
        p.diff("", before, after);
        return "[" + p.ops + "]";
    }

    @SuppressWarnings("ReferenceEquality") // identity: an unchanged member is the same object in both snapshots
    private void diff(String path, @Nullable Object before, @Nullable Object after) {
        if (before == after) return;
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            for (var e : a.entrySet()) {
                Object was = b.get(e.getKey());
                if (was == e.getValue() && was != null) continue;
                String member = path + "/" + escape((String) e.getKey());
                if (b.containsKey(e.getKey())) diff(member, was, e.getValue());
                else op("add", member, e.getValue());
            }
        } else if (before instanceof List<?> b && after instanceof List<?> a && a.size() >= b.size()) {
            for (int i = 0; i < a.size(); i++) {
                if (i < b.size()) {
                    if (b.get(i) != a.get(i)) diff(path + "/" + i, b.get(i), a.get(i));
                } else op("add", path + "/-", a.get(i));
            }
        } else if (before == null ? after != null : !before.equals(after)) {
            op("replace", path, after);
        }
    }

    private void op(String op, String path, @Nullable Object value) {
        if (!ops.isEmpty()) ops.append(',');
        ops.append("{\"op\":\"").append(op).append("\",\"path\":");
        JsonText.writeHtmlSafeString(path, ops);
        ops.append(",\"value\":");
        if (value == null) ops.append("null");
        else JsonText.write(value, ops);
        ops.append('}');
    }

    /** {@return a member name as a JSON Pointer token: {@code ~} as {@code ~0}, {@code /} as {@code ~1}} */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
