package dev.sluice.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code --flag value}, {@code --flag=value} and positional arguments, against the flags a
 * command accepts. {@code --} ends the flags. A flag given twice keeps its last value for
 * {@link #get}; {@link #getAll} has every one, for flags that may be repeated.
 */
final class Args {
    private final Map<String, String> flags = new LinkedHashMap<>();
    private final Map<String, List<String>> repeated = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /**
     * @param valued the flags that take a value, with their leading dashes
     * @param booleans the flags that take none
     * @throws UsageException for an unknown flag or a flag missing its value
     */
    static Args parse(List<String> args, Set<String> valued, Set<String> booleans) throws UsageException {
        Args parsed = new Args();
        boolean flagsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (flagsEnded || !a.startsWith("--") || a.equals("-")) {
                parsed.positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                flagsEnded = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (booleans.contains(name)) {
                if (eq >= 0) throw new UsageException(name + " takes no value");
                parsed.flags.put(name, "true");
            } else if (valued.contains(name)) {
                String value;
                if (eq >= 0) value = a.substring(eq + 1);
                else if (i + 1 < args.size()) value = args.get(++i);
                else throw new UsageException(name + " needs a value");
                parsed.flags.put(name, value);
                parsed.repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown flag " + name);
            }
        }
        return parsed;
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String flag) {
        return flags.containsKey(flag);
    }

    String get(String flag, String fallback) {
        return flags.getOrDefault(flag, fallback);
    }

    /** {@return the flag's value, or null when it was not given} */
    @Nullable
    String get(String flag) {
        return flags.get(flag);
    }

    /** {@return every value given to a flag, in order; empty when it was not given} */
    List<String> getAll(String flag) {
        return repeated.getOrDefault(flag, List.of());
    }

    /** @throws UsageException when the value is not a whole number within [min, max] */
    long getLong(String flag, long fallback, long min, long max) throws UsageException {
        String v = flags.get(flag);
        if (v == null) return fallback;
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a whole number, not '" + v + "'");
        }
        if (n < min || n > max)
            throw new UsageException(flag + " must be between " + min + " and " + max + ", not " + n);
        return n;
    }

    /** Seconds, possibly fractional; @throws UsageException when not a positive number */
    @Nullable
    Duration getSeconds(String flag) throws UsageException {
        String v = flags.get(flag);
        if (v == null) return null;
        double s;
        try {
            s = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a number of seconds, not '" + v + "'");
        }
        if (!(s > 0) || Double.isInfinite(s) || s > 31_536_000)
            throw new UsageException(flag + " must be a positive number of seconds, not '" + v + "'");
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
