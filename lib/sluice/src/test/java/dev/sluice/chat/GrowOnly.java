package dev.sluice.chat;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What growing means for the values {@link PartialJson} shows (its class description states it),
 * checked by the fuzz tests of PartialJson and of the streams whose partial values it parses.
 */
public final class GrowOnly {
    private GrowOnly() {}

    /** Where a value does not extend an earlier one: under the member {@code key} (null: not in an object). */
    public record Mismatch(String key) {}

    /**
     * {@return null when {@code later} extends {@code earlier}, as {@link PartialJson} defines growing,
     * else where it does not} A string is a prefix of its later value; an object's members are, in
     * order, the first members of its later value, each value extended; an array's elements
     * likewise; numbers, booleans and null stay as they are. At the top ({@code root}), null means
     * nothing shown yet, which anything extends.
     */
    public static Mismatch mismatch(Object earlier, Object later, boolean root, String key) {
        Mismatch here = new Mismatch(key);
        if (earlier == null) return root || later == null ? null : here;
        if (earlier instanceof String s) return later instanceof String l && l.startsWith(s) ? null : here;
        if (earlier instanceof Map<?, ?> m) {
            if (!(later instanceof Map<?, ?> lm) || lm.size() < m.size()) return here;
            Iterator<? extends Map.Entry<?, ?>> li = lm.entrySet().iterator();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Map.Entry<?, ?> le = li.next();
                if (!e.getKey().equals(le.getKey())) return here;
                Mismatch inner = mismatch(e.getValue(), le.getValue(), false, (String) e.getKey());
                if (inner != null) return inner;
            }
            return null;
        }
        if (earlier instanceof List<?> a) {
            if (!(later instanceof List<?> la) || la.size() < a.size()) return here;
            for (int i = 0; i < a.size(); i++) {
                Mismatch inner = mismatch(a.get(i), la.get(i), false, key);
                if (inner != null) return inner;
            }
            return null;
        }
        return earlier.equals(later) ? null : here;
    }

    /**
     * {@return null when every value of {@code earlier} off {@code openPath} (its open path, as
     * {@link PartialJson#openPath()} gave it) is in {@code later} unchanged, else where one is not}
     * Complete values never change: on the path, only the innermost open value (a string or a
     * container) may grow; off it, everything stays as it is. With {@code rootComplete}, the whole
     * value stays.
     */
    public static Mismatch completeChanged(Object earlier, List<Object> openPath, boolean rootComplete, Object later) {
        if (earlier == null) return null;
        if (rootComplete) return java.util.Objects.equals(earlier, later) ? null : new Mismatch(null);
        return completeChanged(earlier, openPath, 0, later, null);
    }

    private static Mismatch completeChanged(Object earlier, List<Object> path, int step, Object later, String key) {
        if (earlier instanceof Map<?, ?> m) {
            if (!(later instanceof Map<?, ?> lm)) return new Mismatch(key);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = (String) e.getKey();
                if (!lm.containsKey(k)) {
                    return new Mismatch(key); // as mismatch() names it: the object that lost a member
                } else if (step < path.size() && k.equals(path.get(step))) {
                    Mismatch inner = completeChanged(e.getValue(), path, step + 1, lm.get(k), k);
                    if (inner != null) return inner;
                } else if (!java.util.Objects.equals(e.getValue(), lm.get(k))) {
                    return new Mismatch(k);
                }
            }
            return null;
        }
        if (earlier instanceof List<?> a) {
            if (!(later instanceof List<?> la) || la.size() < a.size()) return new Mismatch(key);
            for (int i = 0; i < a.size(); i++) {
                if (step < path.size() && Integer.valueOf(i).equals(path.get(step))) {
                    Mismatch inner = completeChanged(a.get(i), path, step + 1, la.get(i), key);
                    if (inner != null) return inner;
                } else if (!java.util.Objects.equals(a.get(i), la.get(i))) {
                    return new Mismatch(key);
                }
            }
            return null;
        }
        if (step < path.size()) return new Mismatch(key); // the path leads past a value that is not a container
        return null; // the innermost open value: a string, which grows (mismatch() checks how)
    }

    /**
     * {@return whether a member name appears at least twice in the text, its escapes decoded} Close
     * enough to tell when the rule for a repeated key waives growing.
     */
    public static boolean writtenTwice(String text, String key) {
        if (key.isEmpty()) return true;
        String decoded = unescape(text);
        int first = decoded.indexOf(key);
        return first >= 0 && decoded.indexOf(key, first + 1) >= 0;
    }

    private static boolean hex4(String text, int from) {
        return from + 4 <= text.length() && text.substring(from, from + 4).matches("[0-9a-fA-F]{4}");
    }

    /** {@return the text with every JSON escape sequence replaced by its character} */
    private static String unescape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                sb.append(c);
                continue;
            }
            char e = text.charAt(i + 1);
            int simple = "\"\\/bfnrt".indexOf(e);
            if (simple >= 0) {
                sb.append("\"\\/\b\f\n\r\t".charAt(simple));
                i++;
            } else if (e == 'u' && hex4(text, i + 2)) {
                char u = (char) Integer.parseInt(text.substring(i + 2, i + 6), 16);
                i += 5;
                // surrogates as PartialJson pairs them: a half without its other half is U+FFFD
                if (Character.isHighSurrogate(u)) {
                    boolean escapedLow = i + 2 < text.length()
                            && text.charAt(i + 1) == '\\'
                            && text.charAt(i + 2) == 'u'
                            && hex4(text, i + 3)
                            && Character.isLowSurrogate((char) Integer.parseInt(text.substring(i + 3, i + 7), 16));
                    boolean rawLow = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                    sb.append(escapedLow || rawLow ? u : '\uFFFD');
                } else if (Character.isLowSurrogate(u)) {
                    sb.append(!sb.isEmpty() && Character.isHighSurrogate(sb.charAt(sb.length() - 1)) ? u : '\uFFFD');
                } else {
                    sb.append(u);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
