package dev.sluice.relay.http;

import dev.sluice.RelayException;
import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.relay.StartRequest;
import dev.sluice.relay.internal.Json;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The operator's limits on a front door's request that the body itself carries, held the same on
 * every path: a body passed through is checked and bounded here as the door's parser checks and
 * bounds one it translates ({@link dev.sluice.relay.protocol.GatewayRequest}), so that what reaches
 * the upstream is what the gateway admitted. One rule for every door, on the door's own members
 * ({@link Door#maxTokensMembers}): each must be a whole number from 1 to
 * {@value StartRequest#MAX_TOKENS_LIMIT} (else 400 {@code invalid_request_error} naming it); the
 * largest is the request's most tokens, held to {@code --max-tokens} by the admission
 * ({@code max_tokens_too_large} past it, as a translated request); none given, the first member is
 * set to {@code --max-tokens}, or to the model's own output limit when the catalog knows a lower one.
 * Besides, the door's own checks ({@link Door#checkPassthrough}: Chat Completions' {@code n} must be 1
 * on every path). Stateless.
 */
final class DoorLimits {
    private DoorLimits() {}

    /**
     * A body to pass through, bounded.
     *
     * @param json the body's text to send: as it came, or with its most tokens set
     * @param maxTokens the most tokens it asks for, for the admission's cap and log
     */
    record Bounded(String json, int maxTokens) {}

    /**
     * Refuses a body that writes a member twice at its top level: the gateway reads the last one, an
     * upstream may read another, so that the model or the limit checked would not be the one used.
     *
     * @param json the body's text
     * @param body the body as the gateway parsed it (a name written twice is one member)
     * @throws HttpRefusals.Refused 400 {@code invalid_request_error}
     */
    static void checkMembersOnce(String json, Map<?, ?> body) {
        if (Json.memberCount(json) != body.size())
            throw invalid(
                    "the body writes a member more than once at its top level (such as two \"model\"s): send each once",
                    null);
    }

    /**
     * {@return a body to pass through with the operator's limits on it}
     *
     * @param door the front door, which names the members
     * @param json the body's text, valid JSON
     * @param body the body as parsed
     * @param cap the largest number of tokens a request may ask for ({@code --max-tokens})
     * @param model the model as its provider knows it, whose output limit the catalog may give
     * @throws HttpRefusals.Refused 400 {@code invalid_request_error} naming the member that is not a
     *     whole number from 1 to {@value StartRequest#MAX_TOKENS_LIMIT}, or as the door's
     *     {@link Door#checkPassthrough}
     */
    static Bounded passthrough(Door door, String json, Map<?, ?> body, int cap, String model) {
        door.checkPassthrough(body);
        int most = 0;
        for (String member : door.maxTokensMembers()) {
            Object value = body.get(member);
            if (value == null) continue;
            if (!(value instanceof Long asked) || asked < 1 || asked > StartRequest.MAX_TOKENS_LIMIT)
                throw invalid(
                        "'" + member + "' must be a whole number from 1 to " + StartRequest.MAX_TOKENS_LIMIT + ": "
                                + Json.shorten(value, 40),
                        member);
            most = Math.max(most, asked.intValue());
        }
        if (most > 0) return new Bounded(json, most);
        int given = Math.min(
                cap,
                ModelCatalog.find(model)
                        .map(ModelCapabilities::maxOutputTokens)
                        .filter(m -> m > 0)
                        .orElse(cap));
        return new Bounded(Json.withMember(json, door.maxTokensMembers().getFirst(), given), given);
    }

    /** {@return a 400 {@code invalid_request_error} naming the member at fault} */
    static HttpRefusals.Refused invalid(String message, @Nullable String param) {
        return HttpRefusals.of(new RelayException(RelayException.Kind.INVALID_REQUEST, message, param));
    }
}
