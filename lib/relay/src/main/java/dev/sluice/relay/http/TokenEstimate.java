package dev.sluice.relay.http;

import dev.sluice.relay.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's estimate of a Messages request's input tokens ({@code POST /v1/messages/count_tokens}
 * when no target counts them): a token per four bytes of the request's {@code system},
 * {@code messages} and {@code tools} as JSON, except that an image counts as Anthropic counts one —
 * its width times its height over 750, read from the image's header (PNG, JPEG, GIF, WebP; a
 * 1,600-token guess when unreadable or given by URL, Anthropic's cap for an image it scales down) —
 * and a PDF as {@value #PDF_PAGE_TOKENS} tokens a page (its {@code /Type /Page} objects; Anthropic's
 * "1,500 to 3,000 tokens a page"), never by their base64 bytes. Stateless.
 */
final class TokenEstimate {
    /** The tokens a PDF page is estimated at. */
    static final long PDF_PAGE_TOKENS = 2_000;

    private static final long IMAGE_GUESS = 1_600;

    /** The most pixels Anthropic keeps of an image (it scales larger ones down): about 1,600 tokens. */
    private static final long MAX_PIXELS = 1_600L * 750;

    private TokenEstimate() {}

    /** {@return the estimated input tokens of a Messages request body, at least 1} */
    static long of(Map<?, ?> request) {
        long[] media = {0};
        long bytes = 0;
        for (String member : List.of("system", "messages", "tools")) {
            Object value = request.get(member);
            if (value != null) bytes += Json.write(withoutMedia(value, media)).getBytes(StandardCharsets.UTF_8).length;
        }
        return Math.max(1, (bytes + 3) / 4 + media[0]);
    }

    /** {@return the value with each image's and document's source left out, their tokens added to {@code media[0]}} */
    private static @Nullable Object withoutMedia(@Nullable Object value, long[] media) {
        if (value instanceof List<?> list)
            return list.stream().map(v -> withoutMedia(v, media)).toList();
        if (!(value instanceof Map<?, ?> m)) return value;
        Object type = m.get("type");
        if (("image".equals(type) || "document".equals(type)) && m.get("source") instanceof Map<?, ?> source) {
            media[0] += "image".equals(type) ? image(source) : document(source);
            return Map.of("type", type);
        }
        LinkedHashMap<Object, @Nullable Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) copy.put(e.getKey(), withoutMedia(e.getValue(), media));
        return copy;
    }

    /** {@return an image's tokens: width times height over 750, from its header} */
    static long image(Map<?, ?> source) {
        if (!"base64".equals(source.get("type")) || !(source.get("data") instanceof String data)) return IMAGE_GUESS;
        byte[] head = head(data, 64 * 1024);
        long[] size = dimensions(head);
        if (size == null) return IMAGE_GUESS;
        long pixels = Math.min(MAX_PIXELS, size[0] * size[1]);
        return Math.max(1, (pixels + 749) / 750);
    }

    /** {@return a document's tokens: a PDF's pages times {@value #PDF_PAGE_TOKENS}; a text document's bytes over four} */
    static long document(Map<?, ?> source) {
        Object data = source.get("data");
        if ("text".equals(source.get("type")) && data instanceof String text)
            return ((long) text.getBytes(StandardCharsets.UTF_8).length + 3) / 4;
        if (!"base64".equals(source.get("type")) || !(data instanceof String base64)) return PDF_PAGE_TOKENS;
        String pdf = new String(head(base64, Integer.MAX_VALUE), StandardCharsets.ISO_8859_1);
        int pages = 0;
        for (int at = pdf.indexOf("/Type"); at >= 0; at = pdf.indexOf("/Type", at + 5)) {
            int k = at + 5;
            while (k < pdf.length() && (pdf.charAt(k) == ' ' || pdf.charAt(k) == '\r' || pdf.charAt(k) == '\n')) k++;
            if (pdf.startsWith("/Page", k) && !pdf.startsWith("/Pages", k)) pages++;
        }
        return Math.max(1, pages) * PDF_PAGE_TOKENS;
    }

    /** {@return the first bytes (at most {@code max}) of base64 data, or what of it decodes} */
    private static byte[] head(String base64, int max) {
        int chars = max == Integer.MAX_VALUE ? base64.length() : Math.min(base64.length(), (max / 3) * 4);
        try {
            return Base64.getMimeDecoder().decode(base64.substring(0, chars));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** {@return width and height from a PNG, GIF, JPEG or WebP header, or null} */
    static long @Nullable [] dimensions(byte[] b) {
        if (b.length >= 24 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
            return new long[] {u32(b, 16), u32(b, 20)};
        if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') return new long[] {u16le(b, 6), u16le(b, 8)};
        if (b.length >= 30 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[12] == 'V') {
            if (b[15] == ' ') return new long[] {u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff}; // VP8
            if (b[15] == 'L') { // VP8L: 14 bits each, after the signature byte
                long bits = (b[21] & 0xffL) | (b[22] & 0xffL) << 8 | (b[23] & 0xffL) << 16 | (b[24] & 0xffL) << 24;
                return new long[] {(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
            }
            if (b[15] == 'X') return new long[] {u24le(b, 24) + 1, u24le(b, 27) + 1}; // VP8X
            return null;
        }
        if (b.length >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            int i = 2;
            while (i + 9 < b.length) {
                if ((b[i] & 0xff) != 0xff) return null;
                int marker = b[i + 1] & 0xff;
                int length = (int) u16(b, i + 2);
                if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
                    return new long[] {u16(b, i + 7), u16(b, i + 5)};
                i += 2 + length;
            }
        }
        return null;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xffL) << 24 | (b[i + 1] & 0xffL) << 16 | (b[i + 2] & 0xffL) << 8 | (b[i + 3] & 0xffL);
    }

    private static long u16(byte[] b, int i) {
        return (b[i] & 0xffL) << 8 | (b[i + 1] & 0xffL);
    }

    private static long u16le(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8;
    }

    private static long u24le(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16;
    }
}
