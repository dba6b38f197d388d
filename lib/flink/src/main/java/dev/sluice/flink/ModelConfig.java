package dev.sluice.flink;

import dev.sluice.providers.ProviderCatalog;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.jspecify.annotations.Nullable;

/**
 * One model's settings, checked at {@code CREATE MODEL}'s planning and shipped to the task managers.
 * {@link #toString()} never shows the key.
 *
 * @param targets the model, then its fallbacks
 * @param client the first target's client: {@code base-url} and {@code api-key}, else its provider's
 *     ({@code PROVIDER.base-url}, {@code PROVIDER.api-key}), else the environment's / credential chain
 * @param providerClients per provider id with options of its own, the client of its other targets
 *     ({@code PROVIDER.base-url}, {@code PROVIDER.api-key}); a provider without is the environment's
 * @param system the system prompt, or null
 * @param maxTokens the most output tokens
 * @param temperature the temperature, or null
 * @param firstTokenTimeout how long a stream may take to start
 * @param rowDeadline a row's deadline, retries and fallbacks included
 * @param maxRetries the retries per target
 * @param onErrorNull whether a failed row becomes NULLs (else it fails the job)
 * @param output the OUTPUT columns
 */
record ModelConfig(
        List<Target> targets,
        ClientSpec client,
        Map<String, ClientSpec> providerClients,
        @Nullable String system,
        int maxTokens,
        @Nullable Double temperature,
        Duration firstTokenTimeout,
        Duration rowDeadline,
        int maxRetries,
        boolean onErrorNull,
        OutputColumns output)
        implements Serializable {

    /** How far below Flink's async timeout a row's deadline stays, for the row to end as an on-error row first. */
    static final double BELOW_FLINK = 0.9;

    /**
     * One {@code PROVIDER:MODEL}.
     *
     * @param provider the provider's name, one of {@link ProviderCatalog#names()}
     * @param model the model
     */
    record Target(String provider, String model) implements Serializable {
        /** {@return "provider:model"} */
        String name() {
            return provider + ":" + model;
        }
    }

    /**
     * {@return the settings of these options and columns}
     *
     * @throws IllegalArgumentException naming the option or column whose value is refused
     */
    static ModelConfig of(ReadableConfig options, ResolvedSchema input, ResolvedSchema output) {
        List<Target> targets = new ArrayList<>();
        targets.add(target("model", options.get(SluiceModelOptions.MODEL)));
        String fallback = options.getOptional(SluiceModelOptions.FALLBACK).orElse("");
        if (!fallback.isBlank()) {
            for (String item : fallback.split(",", -1)) {
                Target t = target("fallback", item);
                if (targets.contains(t))
                    throw new IllegalArgumentException("'fallback': " + t.name() + " is a target already");
                targets.add(t);
            }
        }
        int maxTokens = options.get(SluiceModelOptions.MAX_TOKENS);
        if (maxTokens <= 0) throw new IllegalArgumentException("'max-tokens' must be positive: " + maxTokens);
        int retries = options.get(SluiceModelOptions.MAX_RETRIES);
        if (retries < 0) throw new IllegalArgumentException("'max-retries' must not be negative: " + retries);
        Duration first = positive("first-token-timeout", options.get(SluiceModelOptions.FIRST_TOKEN_TIMEOUT));
        Duration total = positive("total-timeout", options.get(SluiceModelOptions.TOTAL_TIMEOUT));
        String onError = options.get(SluiceModelOptions.ON_ERROR).strip().toLowerCase(Locale.ROOT);
        if (!onError.equals("fail") && !onError.equals("null")) {
            throw new IllegalArgumentException("'on-error' must be 'fail' or 'null': '" + onError + "'");
        }
        Double temperature = options.getOptional(SluiceModelOptions.TEMPERATURE).orElse(null);
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("'temperature' must be 0 to 2: " + temperature);
        }
        checkInput(input);
        Map<String, String> baseUrls = new TreeMap<>();
        Map<String, String> apiKeys = new TreeMap<>();
        for (ProviderCatalog p : ProviderCatalog.all()) {
            for (ConfigOption<String> option : List.of(SluiceModelOptions.baseUrl(p), SluiceModelOptions.apiKey(p))) {
                String value = options.getOptional(option).orElse(null);
                if (value == null) continue;
                if (targets.stream().noneMatch(t -> t.provider().equals(p.id()))) {
                    throw new IllegalArgumentException("'" + option.key() + "' is set, but no target is " + p.id()
                            + "'s ('model' and 'fallback' name "
                            + targets.stream().map(Target::provider).distinct().toList() + ")");
                }
                (option.key().endsWith(".api-key") ? apiKeys : baseUrls).put(p.id(), value);
            }
        }
        Map<String, ClientSpec> providerClients = new TreeMap<>();
        for (String p : union(baseUrls.keySet(), apiKeys.keySet()))
            providerClients.put(p, spec(p, baseUrls.get(p), apiKeys.get(p)));
        String model = targets.getFirst().provider();
        String baseUrl = options.getOptional(SluiceModelOptions.BASE_URL).orElse(null);
        String apiKey = options.getOptional(SluiceModelOptions.API_KEY).orElse(null);
        ClientSpec client = spec(
                model, baseUrl != null ? baseUrl : baseUrls.get(model), apiKey != null ? apiKey : apiKeys.get(model));
        return new ModelConfig(
                List.copyOf(targets),
                client,
                Map.copyOf(providerClients),
                options.getOptional(SluiceModelOptions.SYSTEM_PROMPT).orElse(null),
                maxTokens,
                temperature,
                first,
                total,
                retries,
                onError.equals("null"),
                OutputColumns.of(output, onError.equals("null")));
    }

    /** {@return these settings with the row deadline below Flink's async timeout for the row} */
    ModelConfig cappedBelow(Duration flinkTimeout) {
        Duration cap = Duration.ofMillis((long) (flinkTimeout.toMillis() * BELOW_FLINK));
        if (rowDeadline.compareTo(cap) <= 0) return this;
        return new ModelConfig(
                targets,
                client,
                providerClients,
                system,
                maxTokens,
                temperature,
                firstTokenTimeout,
                cap,
                maxRetries,
                onErrorNull,
                output);
    }

    /** {@return the client of a target after the first: its provider's, from its options or the environment} */
    ClientSpec clientOf(String provider) {
        ClientSpec own = providerClients.get(provider);
        return own != null ? own : spec(provider, null, null);
    }

    /** {@return what the task manager's shared clients depend on: equal keys share them} */
    ClientKey clientKey() {
        return new ClientKey(targets, client, providerClients, firstTokenTimeout, maxRetries);
    }

    /** The settings that a shared chain of clients is built from; its {@code toString} hides the keys, as its specs' do. */
    record ClientKey(
            List<Target> targets,
            ClientSpec client,
            Map<String, ClientSpec> providerClients,
            Duration firstTokenTimeout,
            int maxRetries) {}

    private static ClientSpec spec(String provider, @Nullable String baseUrl, @Nullable String apiKey) {
        ClientSpec.Builder b = ClientSpec.builder().provider(provider);
        if (baseUrl != null) b.baseUrl(baseUrl);
        if (apiKey != null) b.apiKey(apiKey);
        return b.build();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** {@return the option's {@code PROVIDER:MODEL}, as {@link ProviderCatalog.Target#parse} reads it; the model required} */
    private static Target target(String option, String value) {
        ProviderCatalog.Target t;
        try {
            t = ProviderCatalog.Target.parse(Objects.requireNonNull(value, option));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + option + "': " + e.getMessage(), e);
        }
        String model = t.model()
                .orElseThrow(() -> new IllegalArgumentException("'" + option
                        + "' takes PROVIDER:MODEL (such as anthropic:claude-haiku-5-5): '" + value.strip() + "'"));
        return new Target(t.provider().id(), model);
    }

    private static Duration positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("'" + option + "' must be positive: " + d);
        return d;
    }

    private static void checkInput(ResolvedSchema input) {
        List<Column> columns = input.getColumns();
        if (columns.size() != 1
                || !columns.getFirst().isPhysical()
                || !columns.getFirst().getDataType().getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new IllegalArgumentException(
                    "the model's INPUT must be one STRING column (the prompt): " + input.getColumnNames());
        }
    }

    @Override
    public String toString() {
        return "ModelConfig[" + targets + ", client=" + client
                + (providerClients.isEmpty() ? "" : ", providerClients=" + providerClients.values())
                + ", maxTokens=" + maxTokens + ", rowDeadline=" + rowDeadline + ", onError="
                + (onErrorNull ? "null" : "fail")
                + ", output=" + output + "]";
    }
}
