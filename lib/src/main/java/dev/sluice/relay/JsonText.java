package dev.sluice.relay;

/** Writes the few JSON shapes the relay sends: flat objects of strings and numbers. Stateless. */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** {@return an object of string members, from alternating names and values (a null value as JSON null)} */
    static String object(String... namesAndValues) {
        int size = 2;
        for (String s : namesAndValues) size += (s == null ? 4 : s.length()) + 4;
        StringBuilder sb = new StringBuilder(size);
        sb.append('{');
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) sb.append(',');
            string(sb, namesAndValues[i]);
            sb.append(':');
            if (namesAndValues[i + 1] == null) sb.append("null");
            else string(sb, namesAndValues[i + 1]);
        }
        return sb.append('}').toString();
    }

    /** Appends a JSON string: quotes, backslashes and control characters escaped; also {@code <}, {@code >} and {@code &}, and the line separators a script would choke on. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != '\u2028' && c != '\u2029') continue;
            sb.append(s, start, i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
            start = i + 1;
        }
        sb.append(s, start, s.length()).append('"');
    }

    /** Appends a number, whole ones without a fraction; null as JSON null. */
    static void number(StringBuilder sb, Double d) {
        if (d == null) sb.append("null");
        else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append(d.longValue());
        else sb.append(d);
    }
}
