package dev.sluice.models;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An {@code anthropic-version} of Anthropic's Messages API and what it accepts beyond each model's
 * row of the {@link ModelCatalog}: the version decides, for every model at once, whether the sampling
 * parameters may be sent (Anthropic's version history, {@code platform.claude.com/docs/en/api/versioning},
 * read 2026-11-28: {@code 2026-10-21} removes {@code temperature}, {@code top_p} and {@code top_k},
 * and answers 400 to a request that sends any of them, even at their defaults).
 *
 * @param version the header's value, a day ({@code YYYY-MM-DD})
 * @param sampling whether {@code temperature}, {@code top_p} and {@code top_k} may be sent at all
 *     (where the model's row takes them)
 */
public record AnthropicApiVersion(String version, boolean sampling) {
    /** The version Sluice sends unless a client is given another: {@value}. */
    public static final String DEFAULT_VERSION = "2023-06-01";

    /** {@code 2023-06-01}: the sampling parameters are taken where the model takes them. */
    public static final AnthropicApiVersion V2023_06_01 = new AnthropicApiVersion(DEFAULT_VERSION, true);

    /**
     * {@code 2026-10-21}: no sampling parameters for any model (a 400 for any of them); also a
     * {@code document} block in an assistant message and a user text block with citations answer 400.
     */
    public static final AnthropicApiVersion V2026_10_21 = new AnthropicApiVersion("2026-10-21", false);

    private static final List<AnthropicApiVersion> KNOWN = List.of(V2023_06_01, V2026_10_21);

    /** @throws NullPointerException if {@code version} is null */
    public AnthropicApiVersion {
        Objects.requireNonNull(version, "version");
    }

    /**
     * {@return what {@code version} accepts: the version of that name, else the latest known version
     * before it (a newer one keeps what the latest known removed), else the oldest}
     *
     * @param version an {@code anthropic-version} header's value
     */
    public static AnthropicApiVersion of(String version) {
        return KNOWN.stream()
                .filter(v -> v.version().compareTo(version) <= 0)
                .max(Comparator.comparing(AnthropicApiVersion::version))
                .map(v -> v.version().equals(version) ? v : new AnthropicApiVersion(version, v.sampling()))
                .orElse(new AnthropicApiVersion(version, V2023_06_01.sampling()));
    }
}
