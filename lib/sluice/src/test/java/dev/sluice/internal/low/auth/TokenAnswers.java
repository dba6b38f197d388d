package dev.sluice.internal.low.auth;

import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token endpoint answers scripted on the testkit's server, and the forms it records. */
final class TokenAnswers {
    private TokenAnswers() {}

    /** {@return an OAuth 2.0 token answer} */
    static FakeResponse token(String value, long expiresIn) {
        return FakeResponse.status(200)
                .body(
                        "application/json",
                        "{\"access_token\":\"" + value + "\",\"expires_in\":" + expiresIn
                                + ",\"token_type\":\"Bearer\"}");
    }

    /** {@return an OAuth 2.0 error answer} */
    static FakeResponse error(int status, String error, String description) {
        return FakeResponse.status(status)
                .body(
                        "application/json",
                        "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    /** {@return the request's URL-encoded form, decoded} */
    static Map<String, String> form(RecordedRequest request) {
        return query(request.body());
    }

    /** {@return the request's query, decoded} */
    static Map<String, String> query(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded.isEmpty()) return fields;
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** {@return the query of the request's target, decoded} */
    static Map<String, String> queryOf(RecordedRequest request) {
        int q = request.target().indexOf('?');
        return q < 0 ? Map.of() : query(request.target().substring(q + 1));
    }
}
