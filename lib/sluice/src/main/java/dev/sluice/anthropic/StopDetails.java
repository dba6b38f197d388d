package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a message stopped, in detail ({@code stop_details}): for a {@code refusal}, the policy
 * category and an explanation, and what the official SDKs type besides: the
 * {@code fallback_credit_token} to retry on a fallback model, whether it may be redeemed with the
 * partial answer appended ({@code fallback_has_prefill_claim}), and the {@code recommended_model}.
 * The token is opaque: pass it on as it is.
 *
 * @param type the kind of details, such as {@code refusal}
 * @param category the refusal's category (e.g. {@code cyber}), or null when none was sent
 * @param explanation the explanation, or null when none was sent
 * @param json every field, as it came
 */
public record StopDetails(
        String type, @Nullable String category, @Nullable String explanation, Map<String, Object> json) {
    /** @throws NullPointerException if type or json is null */
    public StopDetails {
        Objects.requireNonNull(type, "type");
        json = JsonValues.copyObject(json, "stop_details json");
    }

    /** {@return {@code fallback_credit_token}: the opaque token to retry on the fallback model, or null} */
    public @Nullable String fallbackCreditToken() {
        return json.get("fallback_credit_token") instanceof String s ? s : null;
    }

    /** {@return {@code fallback_has_prefill_claim}, or null when absent} */
    public @Nullable Boolean fallbackHasPrefillClaim() {
        return json.get("fallback_has_prefill_claim") instanceof Boolean b ? b : null;
    }

    /** {@return {@code recommended_model}: the fallback model the server suggests retrying on, or null} */
    public @Nullable String recommendedModel() {
        return json.get("recommended_model") instanceof String s ? s : null;
    }

    /** {@return the details read from their JSON object; fields of the wrong type read as absent} */
    static StopDetails of(Map<String, Object> json) {
        return new StopDetails(
                json.get("type") instanceof String s ? s : "",
                json.get("category") instanceof String s ? s : null,
                json.get("explanation") instanceof String s ? s : null,
                json);
    }
}
