package dev.sluice.testkit.internal.wire;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plausible token count for the fake model's output, close to what a BPE tokeniser gives: a
 * common English word is one token (a long one two), a number one token per three digits, a run
 * of punctuation one per two characters, a line break with its indentation one; a space before a
 * word is part of the word. English prose comes to about four to five characters a token, code
 * (dense in symbols) to about two or three, as with real tokenisers.
 */
public final class Tokens {
    private Tokens() {}

    private static final Pattern PIECE = Pattern.compile("\\p{L}+|\\p{N}+|\\s+|[^\\p{L}\\p{N}\\s]+");

    /** {@return the tokens of a piece of text, at least 1 (a delta is never free)} */
    public static int of(String text) {
        int n = 0;
        Matcher m = PIECE.matcher(text);
        while (m.find()) n += piece(m.group());
        return Math.max(1, n);
    }

    private static int piece(String p) {
        int first = p.codePointAt(0);
        int length = p.codePointCount(0, p.length());
        if (Character.isLetter(first)) {
            return p.chars().allMatch(c -> c < 0x250)
                    ? (length + 6) / 7
                    : length; // Latin words, else about a token a letter
        }
        if (Character.isDigit(first)) return (length + 2) / 3;
        if (Character.isWhitespace(first)) return p.equals(" ") ? 0 : 1;
        int tokens = 0;
        int ascii = 0;
        for (int i = 0; i < p.length(); ) {
            int c = p.codePointAt(i);
            if (c < 0x80) ascii++;
            else tokens += Character.isSupplementaryCodePoint(c) ? 2 : 1; // an emoji is two or three tokens, a dash one
            i += Character.charCount(c);
        }
        return tokens + (ascii + 1) / 2;
    }
}
