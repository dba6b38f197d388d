package dev.sluice.relay.http;

import dev.sluice.relay.http.HttpRefusals.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The reading of a request's JSON body for {@link RelayAdmission}: its media type, its declared and
 * read size, its time to arrive and its UTF-8, each refused as HTTP. Immutable.
 *
 * @param maxBytes the largest body, in bytes
 * @param timeout how long a body may take to arrive whole
 */
record RequestBodies(int maxBytes, Duration timeout) {
    String readJson(@Nullable String contentType, long declaredLength, InputStream body) {
        if (!isJson(contentType)) {
            throw HttpRefusals.of(
                    415,
                    "unsupported_media_type",
                    "send the request as Content-Type: application/json, not "
                            + (contentType == null ? "without a Content-Type" : HttpRefusals.shorten(contentType)));
        }
        if (declaredLength > maxBytes) throw tooLarge();
        byte[] bytes;
        try {
            bytes = body.readNBytes(maxBytes + 1);
        } catch (InterruptedIOException e) {
            String within = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
            throw HttpRefusals.of(
                    408,
                    "request_timeout",
                    "the request body did not arrive within " + within + "; send it whole, at once");
        } catch (IOException e) {
            throw HttpRefusals.of(400, "invalid_request", "the request body could not be read to its end");
        }
        if (bytes.length > maxBytes) throw tooLarge();
        // the JDK's own decode, which replaces what is malformed with U+FFFD: none in its string, none was
        // (a body that holds one is decoded again, strictly, to tell)
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) return text;
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpRefusals.of(400, "invalid_request", "the request body is not valid UTF-8");
        }
    }

    /**
     * {@return whether a {@code Content-Type} is exactly JSON}: {@code application/json}, in any
     * case, with no parameter or only {@code charset=utf-8} (quoted or not)
     */
    static boolean isJson(@Nullable String contentType) {
        if (contentType == null) return false;
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json")) return false;
        if (parts.length == 1) return true;
        if (parts.length > 2) return false;
        String param = parts[1].strip().toLowerCase(Locale.ROOT).replace(" ", "");
        return param.equals("charset=utf-8") || param.equals("charset=\"utf-8\"");
    }

    private Refused tooLarge() {
        return HttpRefusals.of(413, "request_too_large", "the request body is larger than " + maxBytes + " bytes");
    }
}
