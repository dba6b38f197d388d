package dev.sluice.objects;

import java.util.ArrayList;
import java.util.List;

/**
 * Paths into a JSON value, written as JSON Pointers (RFC 6901): {@code /steps/2/name}, {@code ~1}
 * for a {@code /} and {@code ~0} for a {@code ~} in a member name. The leading slash may be left
 * out ({@code steps/2/name}); {@code ""} is the whole value.
 */
final class Paths {
    private Paths() {}

    /**
     * {@return the steps of a path, as member names or element indexes written in decimal}
     *
     * @throws IllegalArgumentException if a {@code ~} is not followed by 0 or 1
     */
    static List<String> parse(String path) {
        if (path.isEmpty()) return List.of();
        String p = path.charAt(0) == '/' ? path.substring(1) : path;
        List<String> steps = new ArrayList<>();
        StringBuilder step = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '/') {
                steps.add(step.toString());
                step.setLength(0);
            } else if (c == '~') {
                char next = i + 1 < p.length() ? p.charAt(i + 1) : 0;
                if (next != '0' && next != '1') {
                    throw new IllegalArgumentException(
                            "path " + path + ": '~' must be followed by 0 or 1 (~0 for ~, ~1 for /)");
                }
                step.append(next == '0' ? '~' : '/');
                i++;
            } else {
                step.append(c);
            }
        }
        steps.add(step.toString());
        return List.copyOf(steps);
    }

    /** {@return the steps as a JSON Pointer: {@code ""} for none, else {@code /a/0/b}} */
    static String pointer(List<?> steps) {
        StringBuilder sb = new StringBuilder();
        for (Object s : steps)
            sb.append('/').append(String.valueOf(s).replace("~", "~0").replace("/", "~1"));
        return sb.toString();
    }

    /** {@return a pointer followed by one more step} */
    static String child(String pointer, Object step) {
        return pointer + '/' + String.valueOf(step).replace("~", "~0").replace("/", "~1");
    }

    /** {@return a pointer as a message shows it: {@code /} for the whole value} */
    static String show(String pointer) {
        return pointer.isEmpty() ? "/" : pointer;
    }

    /** {@return the element index a step names, or -1 if it is not a decimal index} */
    static int index(String step) {
        int n = step.length();
        if (n == 0 || n > 9 || (n > 1 && step.charAt(0) == '0')) return -1;
        for (int i = 0; i < n; i++) {
            if (step.charAt(i) < '0' || step.charAt(i) > '9') return -1;
        }
        return Integer.parseInt(step);
    }
}
