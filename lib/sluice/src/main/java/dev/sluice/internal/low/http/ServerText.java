package dev.sluice.internal.low.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one cleaning of text a server sent before it goes into an exception: an HTTP error body
 * ({@link ErrorResponses}) and an error event inside a stream (the call layer's in-band errors)
 * alike, their message and their error type. Cleaned before any exception is constructed with it,
 * so that a key a server echoes never reaches a message, a log line or a JDK Flight Recorder
 * exception event. Addresses and paths are kept: the message is the developer's, and the log's;
 * the relay takes them out of what it shows a browser. Stateless.
 *
 * <p>What counts as an echo of a key: its characters in any case, forwards or reversed, with
 * invisible characters (zero-width spaces and joiners, word joiners, byte-order marks, soft
 * hyphens: Unicode's format characters) or whitespace between them, in runs of at least
 * {@value #RUN_CHARS} of them, or of at least {@value #MASKED_RUN_CHARS} right next to a mask
 * (two or more of {@code * • ● # x X .}, or one {@code …}), the head and tail a masked echo such
 * as {@code sk-ant-a****cdef} shows. Eight characters of a random key are about 48 bits of it,
 * too many to show; shorter runs are common in prose ({@code sk-}, {@code the}, a word that
 * happens to be in the key) and are left alone, except beside a mask, where four characters are
 * there only because they are the key's and a mask of a key shows no more than its head and
 * tail. A run that spans whitespace also starts and ends at word boundaries, so that a public
 * prefix followed by an ordinary word ({@code sk-ant- and}) is not taken for a split key. A key
 * shorter than {@value #RUN_CHARS} characters is redacted only whole.
 *
 * <p>The same holds for the forms a key commonly takes on its way back: its UTF-8 bytes in base64
 * and base64url (at each of the three offsets its bytes may have in a 3-byte group of a longer
 * encoded text, so the encoded key's stable middle, its uncertain edge characters left out), in
 * hex (either case), percent-encoded (every byte, or as a form's value), and rot13. A run of an
 * encoded form is redacted with the run of its alphabet's characters around it (the encoded edges
 * of the key, and whatever was encoded with it).
 */
public final class ServerText {
    /** The most characters of server text put into a message. */
    public static final int MAX_MESSAGE_CHARS = 500;
    /**
     * Credentials shorter than this are not replaced: no real key is that short, and replacing a
     * one-letter test key everywhere shreds the message ("thin[redacted]ing" for a key "k").
     */
    static final int MIN_SECRET_CHARS = 6;
    /** The run of a key's characters redacted wherever it stands. */
    static final int RUN_CHARS = 8;
    /** The run of a key's characters redacted next to a mask. */
    static final int MASKED_RUN_CHARS = 4;
    /**
     * The most characters searched for a key: far more than a message keeps, so that what the
     * message keeps was searched whole, and the search stays bounded on a 64 KiB error body.
     */
    private static final int MAX_SEARCHED_CHARS = 8 * MAX_MESSAGE_CHARS;

    private static final String REDACTED = "[redacted]";
    private static final String MASK_CHARS = "*•●#xX.";

    private ServerText() {}

    /**
     * {@return server text fit for a message: credentials redacted, the user information, query
     * string and fragment of its URLs taken out ({@link ServerUrls}), whitespace collapsed,
     * truncated} The value of every {@linkplain #isCredential credential header} of the request,
     * and every echo of it (see the class description), is replaced by {@code [redacted]}; for a
     * value with a scheme ({@code Authorization: Bearer <key>}) the token after its first space,
     * which servers echo without the scheme. Other headers ({@code anthropic-version},
     * {@code content-type}) are left as they are: a message that quotes them stays readable.
     *
     * @param text what the server sent
     * @param requestHeaders the headers of the request it answers (empty when unknown, as for a
     *     recorded stream: then only whitespace and length are cleaned)
     */
    public static String clean(String text, Map<String, String> requestHeaders) {
        String s = text.replaceAll("\\s+", " ");
        if (s.length() > MAX_SEARCHED_CHARS) s = s.substring(0, MAX_SEARCHED_CHARS);
        s = redact(ServerUrls.clean(s), requestHeaders).strip();
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    /**
     * {@return the text with every credential of {@code requestHeaders}, and every echo of it,
     * replaced as {@link #clean} replaces them, and nothing else changed} For text kept whole (an
     * MCP tool's result, which the caller bounds), where {@code clean} would collapse and cut it.
     */
    public static String redact(String text, Map<String, String> requestHeaders) {
        String s = text;
        for (Map.Entry<String, String> h : requestHeaders.entrySet()) {
            if (!isCredential(h.getKey())) continue;
            String value = h.getValue().strip();
            int space = value.indexOf(' ');
            if (space > 0 && value.length() >= MIN_SECRET_CHARS) s = s.replace(value, REDACTED);
            String secret = space > 0 ? value.substring(space + 1).strip() : value;
            int signature = value.regionMatches(true, 0, "AWS4-", 0, 5) ? value.indexOf("Signature=") : -1;
            // SigV4 (AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=HEX): only the signature is
            // secret-like; its other parts are words (Signature, Credential) a server's message rightly uses
            if (signature >= 0)
                secret = value.substring(signature + "Signature=".length()).strip();
            if (secret.length() >= MIN_SECRET_CHARS) {
                // every form is looked for in the same text, and what they find is redacted at once: a pass
                // that ran on another's output would find a form cut into pieces (a key's rot13 shares its digits)
                List<int[]> runs = new ArrayList<>();
                for (Encoding e : encodings(secret)) findRuns(s, e.form(), e.alphabet(), runs);
                findRuns(s, secret, null, runs);
                s = redactAll(s, runs);
            }
        }
        return s;
    }

    /**
     * {@return whether a header carries a credential} {@code authorization},
     * {@code proxy-authorization}, {@code x-api-key}, {@code x-goog-api-key}, {@code api-key},
     * {@code cookie}, {@code set-cookie}, and any name containing {@code token}, {@code secret},
     * {@code key} or {@code auth}; case-insensitive.
     */
    static boolean isCredential(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        return name.equals("cookie")
                || name.equals("set-cookie")
                || name.contains("auth")
                || name.contains("key")
                || name.contains("token")
                || name.contains("secret");
    }

    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String BASE64_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String HEX = "0123456789abcdefABCDEF";

    /**
     * One encoded form of a secret, and the characters of its encoding (null for a form that is
     * redacted alone: rot13, a form's value).
     */
    private record Encoding(String form, @Nullable String alphabet) {}

    /** {@return the encoded forms of a secret a server may echo} (see the class description) */
    private static List<Encoding> encodings(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<Encoding> forms = new ArrayList<>();
        for (boolean url : new boolean[] {false, true}) {
            Base64.Encoder encoder = url
                    ? Base64.getUrlEncoder().withoutPadding()
                    : Base64.getEncoder().withoutPadding();
            Set<String> middles = new LinkedHashSet<>();
            for (int offset = 0; offset < 3; offset++) {
                byte[] shifted = new byte[offset + bytes.length];
                System.arraycopy(bytes, 0, shifted, offset, bytes.length);
                String encoded = encoder.encodeToString(shifted);
                // the characters whose six bits are all the key's: the first after its first bit, to the last before
                // its end
                middles.add(encoded.substring((8 * offset + 5) / 6, 8 * (offset + bytes.length) / 6));
            }
            for (String m : middles)
                forms.add(new Encoding(m, (url ? BASE64_URL : BASE64) + "=")); // padding after it, either alphabet
        }
        forms.add(new Encoding(HexFormat.of().formatHex(bytes), HEX));
        StringBuilder percent = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) percent.append('%').append(HexFormat.of().toHexDigits(b));
        forms.add(new Encoding(percent.toString(), HEX + "%"));
        String formValue = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!formValue.equals(secret)) forms.add(new Encoding(formValue, null));
        String rot13 = rot13(secret);
        if (!rot13.equals(secret)) forms.add(new Encoding(rot13, null));
        return forms;
    }

    private static String rot13(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'a' && c[i] <= 'z') c[i] = (char) ('a' + (c[i] - 'a' + 13) % 26);
            else if (c[i] >= 'A' && c[i] <= 'Z') c[i] = (char) ('A' + (c[i] - 'A' + 13) % 26);
        }
        return new String(c);
    }

    /** {@return the text with each of the runs ({@code [start, end)}, overlapping or not) replaced, adjacent ones by one mark} */
    private static String redactAll(String text, List<int[]> runs) {
        if (runs.isEmpty()) return text;
        runs.sort((a, b) -> Integer.compare(a[0], b[0]));
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int i = 0;
        while (i < runs.size()) {
            int start = runs.get(i)[0];
            int end = runs.get(i)[1];
            for (i++; i < runs.size() && runs.get(i)[0] <= end; i++) end = Math.max(end, runs.get(i)[1]);
            out.append(text, copied, start).append(REDACTED);
            copied = end;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Adds to {@code runs} each run of the secret's characters in the text (see the class
     * description), as {@code [start, end)}, and with it the characters of {@code alphabet} on
     * either side ({@code =} only after it), when one is given.
     */
    private static void findRuns(String text, String secret, @Nullable String alphabet, List<int[]> runs) {
        // the text as the search sees it: visible characters folded to lower case, where each stands,
        // and whether whitespace came before it
        int n = text.length();
        char[] seen = new char[n];
        int[] at = new int[n];
        boolean[] afterSpace = new boolean[n];
        int m = 0;
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (isInvisible(c)) continue;
            if (isSpace(c)) {
                space = m > 0;
                continue;
            }
            seen[m] = fold(c);
            at[m] = i;
            afterSpace[m++] = space;
            space = false;
        }
        char[] forward = new char[secret.length()];
        for (int j = 0; j < forward.length; j++) forward[j] = fold(secret.charAt(j));
        char[] reversed = new char[forward.length];
        for (int j = 0; j < forward.length; j++) reversed[j] = forward[forward.length - 1 - j];
        int whole = Math.min(RUN_CHARS, forward.length);
        int masked = Math.min(MASKED_RUN_CHARS, whole);
        // a run worth redacting starts with four of the key's characters: look further only where they stand
        Set<Long> starts = new HashSet<>();
        if (masked == MASKED_RUN_CHARS) {
            for (int j = 0; j + MASKED_RUN_CHARS <= forward.length; j++) {
                starts.add(gram(forward, j));
                starts.add(gram(reversed, j));
            }
        }

        int copied = 0; // the end of this pass's last run: a run's alphabet reaches no further back
        for (int i = 0; i < m; ) {
            if (!starts.isEmpty() && (i + MASKED_RUN_CHARS > m || !starts.contains(gram(seen, i)))) {
                i++;
                continue;
            }
            int len = Math.max(longestRun(seen, m, i, forward), longestRun(seen, m, i, reversed));
            if (len >= masked) len = withinWords(text, at, afterSpace, i, len);
            int start = at[i];
            int end = len == 0 ? start : at[i + len - 1] + 1;
            if (len >= whole || (len >= masked && (isMask(text, start - 1, -1) || isMask(text, end, 1)))) {
                i += len;
                if (alphabet != null) {
                    while (start > copied
                            && text.charAt(start - 1) != '='
                            && alphabet.indexOf(text.charAt(start - 1)) >= 0) start--;
                    while (end < n && alphabet.indexOf(text.charAt(end)) >= 0) end++;
                    while (i < m && at[i] < end) i++;
                }
                runs.add(new int[] {start, end});
                copied = end;
            } else {
                i++;
            }
        }
    }

    /** {@return the four characters from {@code c[i]} on, as one number} */
    private static long gram(char[] c, int i) {
        return (long) c[i] << 48 | (long) c[i + 1] << 32 | (long) c[i + 2] << 16 | c[i + 3];
    }

    /** {@return the length of the longest run of {@code key}'s characters that starts at {@code seen[i]}} */
    private static int longestRun(char[] seen, int m, int i, char[] key) {
        int best = 0;
        for (int j = 0; j < key.length - best; j++) {
            int len = 0;
            while (i + len < m && j + len < key.length && seen[i + len] == key[j + len]) len++;
            best = Math.max(best, len);
        }
        return best;
    }

    /**
     * {@return the run shortened so that, if it spans whitespace, it starts and ends at word
     * boundaries} A split key stands apart from the words around it; a prefix of the key followed
     * by the first letters of a word is prose.
     */
    private static int withinWords(String text, int[] at, boolean[] afterSpace, int i, int len) {
        int first = -1;
        int last = -1;
        for (int k = i + 1; k < i + len; k++) {
            if (afterSpace[k]) {
                if (first < 0) first = k;
                last = k;
            }
        }
        if (first < 0) return len;
        if (isWordChar(after(text, at[i + len - 1] + 1))) len = last - i;
        if (isWordChar(before(text, at[i]))) len = Math.min(len, first - i);
        return len;
    }

    /** {@return whether a mask starts at index {@code k} (skipping invisible characters), read in the direction of {@code step}} */
    private static boolean isMask(String text, int k, int step) {
        k = visible(text, k, step);
        if (k >= 0 && k < text.length() && text.charAt(k) == '…') return true;
        int count = 0;
        for (; k >= 0 && k < text.length() && MASK_CHARS.indexOf(text.charAt(k)) >= 0; k += step) count++;
        return count >= 2;
    }

    /** {@return the visible character before index {@code i}, or a space at the start} */
    private static char before(String text, int i) {
        int k = visible(text, i - 1, -1);
        return k >= 0 ? text.charAt(k) : ' ';
    }

    /** {@return the visible character at or after index {@code i}, or a space at the end} */
    private static char after(String text, int i) {
        int k = visible(text, i, 1);
        return k < text.length() ? text.charAt(k) : ' ';
    }

    /** {@return the index of the first visible character from {@code k} on in the direction of {@code step}} */
    private static int visible(String text, int k, int step) {
        while (k >= 0 && k < text.length() && isInvisible(text.charAt(k))) k += step;
        return k;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c);
    }

    private static boolean isInvisible(char c) {
        return Character.getType(c) == Character.FORMAT;
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static char fold(char c) {
        return Character.toLowerCase(c);
    }
}
