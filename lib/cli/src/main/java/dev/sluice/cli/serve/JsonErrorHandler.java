package dev.sluice.cli.serve;

import dev.sluice.relay.http.HttpRefusal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers (a malformed request, headers too large, a handler that failed): the same
 * headers, a JSON body, nothing about the server or the failure.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        secure(response.getHeaders());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    @Override
    @SuppressWarnings("removal") // Jetty 12 still calls it for a request it cannot parse
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        secure(fields);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
    }

    /** Answers a refusal of serve's own with the relay's JSON error, and closes the connection after it. */
    static void refuse(Response response, HttpRefusal refusal, Callback callback) {
        response.setStatus(refusal.status());
        secure(response.getHeaders());
        refusal.headers().forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(refusal.json().getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static void secure(HttpFields.Mutable h) {
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    private static String body(int status) {
        String type = status == 400
                ? "bad_request"
                : status == 431 ? "headers_too_large" : status < 500 ? "http_" + status : "internal_error";
        return "{\"error\":{\"type\":\"" + type + "\",\"message\":\"HTTP " + status + "\"}}";
    }
}
