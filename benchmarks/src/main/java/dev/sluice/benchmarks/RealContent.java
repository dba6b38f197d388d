package dev.sluice.benchmarks;

import java.util.Random;

/**
 * The realistic content of {@link BenchStream#realText()} and {@link BenchStream#realTool()},
 * generated deterministically from a {@link Random}: markdown prose that mixes ASCII English with
 * accented Latin, CJK, emoji (surrogate pairs, ZWJ sequences, skin-tone modifiers, flags) and
 * typographic punctuation; Java source code with string literals full of escapes and non-ASCII
 * comments; and the two JSON string encoders the streams use ({@link #jsonString},
 * {@link #asciiJsonString}).
 */
final class RealContent {
    private RealContent() {}

    private static final String[] ENGLISH = ("the stream carries tokens from the model to the reader while each "
                    + "event arrives in order and the client decodes every delta before it hands the text to a loop "
                    + "that renders it for people who read along as the answer grows line by line with code and notes")
            .split(" ");
    private static final String[] LATIN = {
        "café",
        "naïve",
        "über",
        "façade",
        "jalapeño",
        "Straße",
        "Müller",
        "señor",
        "garçon",
        "déjà",
        "vu",
        "crème",
        "brûlée",
        "Zürich",
        "São",
        "Paulo",
        "niño",
        "Ångström",
        "fiancée",
        "Köln",
        "résumé",
        "Ärger",
        "coöperate",
        "élan",
        "mañana"
    };
    private static final String[] CJK = {
        "中文", "日本語", "東京", "数据流", "模型", "ストリーム", "テスト", "한국어", "文字列", "解析器", "你好，世界", "こんにちは"
    };
    /** Astral emoji (surrogate pairs), ZWJ sequences, a skin-tone modifier, a flag, and BMP symbols. */
    private static final String[] EMOJI = {
        "🚀", "👩‍💻", "😀", "🎉", "✅", "👍🏽", "🇯🇵", "🔥", "🧪", "⚡", "👨‍👩‍👧", "❤️"
    };

    private static final String[] MARKS = {
        "—",
        "→",
        "…",
        "“quoted”",
        "‘single’",
        "\"plain quotes\"",
        "C:\\temp\\logs",
        "a\\b",
        "`code`",
        "`map.get(\"key\")`",
        "`\\n`",
        "**bold**",
        "_italic_",
        "(see §2)",
        "±5 %",
        "50 €",
        "x ≤ y",
        "½"
    };
    private static final String[] ENDS = {". ", ". ", "? ", "! ", "… ", "。", "! "};

    /** {@return at least {@code codePoints} code points of markdown prose in mixed scripts} */
    static String prose(Random random, int codePoints) {
        StringBuilder sb = new StringBuilder(codePoints * 2);
        int count = 0;
        while (count < codePoints) {
            int start = sb.length();
            int kind = random.nextInt(100);
            if (kind < 8) {
                sb.append(random.nextBoolean() ? "# " : "## ");
                words(random, sb, 2 + random.nextInt(4));
                sb.append("\n\n");
            } else if (kind < 20) {
                int items = 2 + random.nextInt(3);
                for (int i = 0; i < items; i++) {
                    sb.append("- ");
                    words(random, sb, 3 + random.nextInt(6));
                    sb.append('\n');
                }
                sb.append('\n');
            } else if (kind < 24) {
                sb.append("```java\n");
                int lines = 1 + random.nextInt(4);
                for (int i = 0; i < lines; i++) sb.append(codeLine(random, i)).append('\n');
                sb.append("```\n\n");
            } else if (kind < 27) {
                sb.append("| key\t| value |\n| `a\\b` | “x” → ")
                        .append(random.nextInt(1000))
                        .append(" |\n\n");
            } else {
                int sentences = 2 + random.nextInt(4);
                for (int i = 0; i < sentences; i++) {
                    words(random, sb, 5 + random.nextInt(11));
                    sb.append(ENDS[random.nextInt(ENDS.length)]);
                }
                sb.append("\n\n");
            }
            count += sb.codePointCount(start, sb.length());
        }
        return sb.toString();
    }

    private static void words(Random random, StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            int r = random.nextInt(100);
            String[] pool = r < 62 ? ENGLISH : r < 75 ? LATIN : r < 85 ? CJK : r < 91 ? EMOJI : MARKS;
            sb.append(pool[random.nextInt(pool.length)]);
        }
    }

    private static final String[] COMMENTS = {
        "// Überprüfung der Eingabe — naïve check",
        "// 中文注释：解析器的状态",
        "// 日本語のコメント 👩‍💻",
        "// “smart quotes” → plain \"quotes\"",
        "/* résumé: déjà vu … 🚀 */",
        "// TODO(mañana): handle C:\\paths\\like\\this",
        "// ✅ passes on Zürich's CI 🎉"
    };

    /** {@return one line of Java source with string literals, escapes and non-ASCII} */
    private static String codeLine(Random random, int n) {
        return switch (random.nextInt(12)) {
            case 0 -> "String path = \"C:\\\\Users\\\\dev\\\\file" + n + ".txt\";";
            case 1 -> "String greeting = \"Hello, \\\"\" + name + \"\\\"!\\n\";";
            case 2 -> "Pattern number = Pattern.compile(\"\\\\d+(\\\\.\\\\d*)?\");";
            case 3 -> "char quote = '\\'';";
            case 4 -> "String row = \"col1\\tcol2\\tcol3\\r\\n\";";
            case 5 -> "String json = \"{\\\"name\\\": \\\"Ünïcödé\\\", \\\"emoji\\\": \\\"🚀\\\"}\";";
            case 6 -> "System.out.printf(\"%s → %d%n\", label, " + n + ");";
            case 7 -> "String unicode = \"\\u00e9t\\u00e9 \\uD83D\\uDE80\";";
            case 8 -> COMMENTS[random.nextInt(COMMENTS.length)];
            case 9 ->
                "if (text.contains(\"\\\\\") || text.endsWith(\"\\\"\")) return text.replace(\"\\n\", \"\\\\n\");";
            case 10 -> "String label = \"résumé — 東京 " + n + "\";";
            default -> "int total" + n + " = values.stream().mapToInt(v -> v * " + n + ").sum();";
        };
    }

    /** {@return at least {@code chars} UTF-16 units of Java source: a class of methods, some tab-indented} */
    static String javaSource(Random random, int chars) {
        StringBuilder sb = new StringBuilder(chars + 4096);
        sb.append("package dev.example.render;\n\nimport java.util.List;\nimport java.util.regex.Pattern;\n\n")
                .append("/** Renders streamed replies — “Größe” checks, 中文 and emoji 🚀 included. */\n")
                .append("public final class StreamRenderer {\n");
        int method = 0;
        while (sb.length() < chars) {
            String indent = random.nextInt(4) == 0 ? "\t" : "    ";
            sb.append('\n')
                    .append(indent)
                    .append("/**\n")
                    .append(indent)
                    .append(" * ")
                    .append(COMMENTS[random.nextInt(COMMENTS.length)]
                            .substring(3)
                            .replace(" */", ""))
                    .append('\n')
                    .append(indent)
                    .append(" */\n")
                    .append(indent)
                    .append("public String render")
                    .append(method)
                    .append("(String name, List<Integer> values) {\n");
            int lines = 3 + random.nextInt(8);
            for (int i = 0; i < lines; i++) {
                sb.append(indent)
                        .append(indent)
                        .append(codeLine(random, method * 16 + i))
                        .append('\n');
            }
            sb.append(indent)
                    .append(indent)
                    .append("return name;\n")
                    .append(indent)
                    .append("}\n");
            method++;
        }
        return sb.append("}\n").toString();
    }

    /** {@return a short note in mixed scripts, for the tool input's {@code notes}} */
    static String note(Random random) {
        StringBuilder sb = new StringBuilder(64);
        words(random, sb, 3 + random.nextInt(8));
        return sb.toString();
    }

    /**
     * JSON string content (without the quotes) as the API writes it: {@code "} and {@code \}
     * escaped, control characters escaped ({@code \n}, {@code \t}, {@code \r}, else
     * {@code \}{@code u00XX}), every other character raw (UTF-8 on the wire) — except a lone
     * surrogate, which UTF-8 cannot carry, written as a {@code \}{@code uXXXX} escape as a JSON
     * encoder writes it.
     */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(sb, c);
            } else {
                escapeAscii(sb, c);
            }
        }
        return sb.toString();
    }

    /** {@return JSON string content with every non-ASCII UTF-16 unit as a {@code \}{@code uXXXX} escape} */
    static String asciiJsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) unicodeEscape(sb, c);
            else escapeAscii(sb, c);
        }
        return sb.toString();
    }

    private static void escapeAscii(StringBuilder sb, char c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\r' -> sb.append("\\r");
            default -> {
                if (c < 0x20) unicodeEscape(sb, c);
                else sb.append(c);
            }
        }
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        String hex = Integer.toHexString(c);
        sb.append("\\u");
        for (int i = hex.length(); i < 4; i++) sb.append('0');
        sb.append(hex);
    }
}
