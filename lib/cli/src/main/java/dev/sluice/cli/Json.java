package dev.sluice.cli;

/** The one piece of JSON the tool writes by hand: a string literal, escaped exactly. */
final class Json {
    private Json() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Appends {@code s} as a JSON string: quotes, with {@code "} and {@code \} escaped, control
     * characters below U+0020 as {@code \b \t \n \f \r} or {@code \}{@code u00XX}, and everything
     * else (non-ASCII included, U+2028 and U+2029 too, which JSON allows raw) as it is.
     */
    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
