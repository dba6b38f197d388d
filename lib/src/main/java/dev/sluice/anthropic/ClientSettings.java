package dev.sluice.anthropic;

import dev.sluice.internal.client.CommonSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of an {@link AnthropicClient}, for {@link AnthropicClient.Builder}: the settings
 * every client has ({@link #common}) and the Anthropic ones, with their checks. Not thread-safe,
 * like the builder.
 */
final class ClientSettings {
    private static final Set<String> RESERVED = Set.of("x-api-key", "anthropic-version", "anthropic-beta",
            "content-type", "accept");

    final CommonSettings common = new CommonSettings(AnthropicClient.DEFAULT_BASE_URL, "ANTHROPIC_API_KEY",
            "ANTHROPIC_BASE_URL", RESERVED, "use apiKey(..), anthropicVersion(..) or beta(..) for the Anthropic headers");
    String anthropicVersion = AnthropicClient.DEFAULT_ANTHROPIC_VERSION;
    final List<String> betas = new ArrayList<>();
    Duration requestTimeout = AnthropicClient.DEFAULT_REQUEST_TIMEOUT;
    ResumePolicy resume = ResumePolicy.off();
    dev.sluice.TokenBudget tokenBudget; // null: none

    void setAnthropicVersion(String version) {
        this.anthropicVersion = CommonSettings.token(version, "anthropicVersion");
    }

    void addBetas(String... names) {
        Objects.requireNonNull(names, "betas");
        for (String b : names) {
            String t = CommonSettings.token(b, "beta");
            if (t.contains(",")) throw new IllegalArgumentException("a beta name must not contain a comma: " + t);
            if (!betas.contains(t)) betas.add(t);
        }
    }

    void setResume(ResumePolicy policy) { this.resume = Objects.requireNonNull(policy, "resume"); }

    void setRequestTimeout(Duration timeout) { this.requestTimeout = CommonSettings.positive(timeout, "requestTimeout"); }

    ClientSettings validated() {
        common.requireComplete(true);
        return this;
    }

    /** {@return the request headers: key, version, betas when set, user-agent, then the extra headers} */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-api-key", common.apiKey());
        h.put("anthropic-version", anthropicVersion);
        if (!betas.isEmpty()) h.put("anthropic-beta", String.join(",", betas));
        return common.headersAfter(h);
    }

    /** {@return {@code <baseUrl>/v1/messages}, keeping a path prefix of the base URL} */
    URI endpoint() {
        return URI.create(common.baseWithoutTrailingSlash() + "/v1/messages");
    }

    String describe() {
        return common.describe() + ", anthropicVersion=" + anthropicVersion + (betas.isEmpty() ? "" : ", betas=" + betas)
                + (resume.enabled() ? ", resume=" + resume.maxResumes() : "");
    }
}
