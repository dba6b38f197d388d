package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private static final ResolvedSchema PROMPT = ResolvedSchema.of(Column.physical("prompt", DataTypes.STRING()));
    private static final ResolvedSchema ANSWER = ResolvedSchema.of(Column.physical("answer", DataTypes.STRING()));

    private static ModelConfig config(Map<String, String> options, ResolvedSchema output) {
        return ModelConfig.of(Configuration.fromMap(options), PROMPT, output);
    }

    @Test
    void model_splitOnTheFirstColon_bedrockIdsKeepTheirs() {
        ModelConfig c = config(
                Map.of(
                        "model",
                        "bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0",
                        "fallback",
                        "vertex-anthropic:claude-haiku-4-5@20251001, openai:gpt-4o-mini"),
                ANSWER);
        assertEquals(
                List.of(
                        new ModelConfig.Target("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0"),
                        new ModelConfig.Target("vertex-anthropic", "claude-haiku-4-5@20251001"),
                        new ModelConfig.Target("openai", "gpt-4o-mini")),
                c.targets());
        assertTrue(c.output().text());
    }

    @Test
    void model_unknownProviderOrNoColon_refusedNamingTheOption() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> config(Map.of("model", "claude:haiku"), ANSWER));
        assertTrue(
                e.getMessage().contains("'model': unknown provider 'claude'")
                        && e.getMessage().contains("foundry-anthropic"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(Map.of("model", "gpt-4o"), ANSWER));
        assertTrue(e.getMessage().contains("PROVIDER:MODEL"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> config(Map.of("model", "openai:gpt-4o", "on-error", "skip"), ANSWER));
        assertTrue(e.getMessage().contains("'on-error'"), e.getMessage());
    }

    @Test
    void flinkTimeout_queryMapOverTableConfigOverDefault() {
        Duration table =
                FlinkTimeout.ofTable(Configuration.fromMap(Map.of("table.exec.async-ml-predict.timeout", "30 s")));
        assertEquals(Duration.ofSeconds(30), table);
        assertEquals(Duration.ofMinutes(3), FlinkTimeout.ofTable(new Configuration()));
        assertEquals(table, FlinkTimeout.of(new Configuration(), table));
        assertEquals(Duration.ofSeconds(5), FlinkTimeout.of(Configuration.fromMap(Map.of("timeout", "5 s")), table));
    }

    @Test
    void rowDeadline_aboveFlinksTimeout_cappedBelowIt() {
        ModelConfig c = config(Map.of("model", "openai:gpt-4o", "total-timeout", "10 min"), ANSWER);
        assertEquals(
                Duration.ofSeconds(162), c.cappedBelow(Duration.ofMinutes(3)).rowDeadline());
        ModelConfig short_ = config(Map.of("model", "openai:gpt-4o", "total-timeout", "30 s"), ANSWER);
        assertSame(short_, short_.cappedBelow(Duration.ofMinutes(3)));
    }

    @Test
    void toString_hidesTheKey() {
        ModelConfig c = config(Map.of("model", "openai:gpt-4o", "api-key", "sk-very-secret"), ANSWER);
        assertFalse(c.toString().contains("sk-very-secret"), c::toString);
        assertFalse(c.clientKey().toString().contains("sk-very-secret"), c.clientKey()::toString);
    }

    @Test
    void providerOptions_eachTargetsEndpointAndKey_keptAsApiKeyIs() {
        ModelConfig c = config(
                Map.of(
                        "model", "anthropic:claude-haiku-4-5",
                        "fallback", "openai:gpt-4o-mini",
                        "openai.base-url", "https://proxy.example/openai",
                        "openai.api-key", "sk-fallback-secret",
                        "anthropic.api-key", "sk-ant-model-secret"),
                ANSWER);
        assertEquals(
                Map.of(
                        "openai",
                        ClientSpec.builder()
                                .provider("openai")
                                .baseUrl("https://proxy.example/openai")
                                .apiKey("sk-fallback-secret")
                                .build(),
                        "anthropic",
                        ClientSpec.builder()
                                .provider("anthropic")
                                .apiKey("sk-ant-model-secret")
                                .build()),
                c.providerClients());
        // the model's client: its provider's key, as 'api-key' is not set
        assertEquals(c.providerClients().get("anthropic"), c.client());
        // a provider without options of its own: the environment's
        assertEquals(ClientSpec.builder().provider("gemini").build(), c.clientOf("gemini"));
        for (String shown : List.of(c.toString(), c.clientKey().toString())) {
            assertFalse(shown.contains("sk-fallback-secret") || shown.contains("sk-ant-model-secret"), shown);
        }
        // Flink hides an option's value wherever it hides 'api-key''s: each provider's key is as sensitive
        assertTrue(GlobalConfiguration.isSensitive("api-key"));
        for (var p : dev.sluice.providers.ProviderCatalog.all())
            assertTrue(
                    GlobalConfiguration.isSensitive(SluiceModelOptions.apiKey(p).key()), p.id());
    }

    @Test
    void providerOptions_forAProviderNoTargetIs_refusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> config(Map.of("model", "openai:gpt-4o", "gemini.api-key", "AIza-secret"), ANSWER));
        assertEquals(
                "'gemini.api-key' is set, but no target is gemini's ('model' and 'fallback' name [openai])",
                e.getMessage());
    }

    @Test
    void severalColumns_schemaFromTheTypes_errorColumnLeftOut() {
        ResolvedSchema out = ResolvedSchema.of(
                Column.physical("title", DataTypes.STRING().notNull()),
                Column.physical("votes", DataTypes.INT()),
                Column.physical("price", DataTypes.DECIMAL(10, 2)),
                Column.physical("tags", DataTypes.ARRAY(DataTypes.STRING())),
                Column.physical(
                        "who",
                        DataTypes.ROW(DataTypes.FIELD("name", DataTypes.STRING().notNull()))),
                Column.physical("error", DataTypes.STRING()));
        ModelConfig c = config(Map.of("model", "openai:gpt-4o", "on-error", "null"), out);
        assertEquals(
                "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"votes\":{\"type\":[\"integer\",\"null\"]},"
                        + "\"price\":{\"type\":[\"number\",\"null\"]},\"tags\":{\"type\":[\"array\",\"null\"],\"items\":{\"type\":[\"string\",\"null\"]}},"
                        + "\"who\":{\"type\":[\"object\",\"null\"],\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"],"
                        + "\"additionalProperties\":false}},\"required\":[\"title\",\"votes\",\"price\",\"tags\",\"who\"],\"additionalProperties\":false}",
                c.output().schemaJson());
    }

    @Test
    void structuredRow_valueThatDoesNotFit_refused() {
        ResolvedSchema out = ResolvedSchema.of(
                Column.physical("title", DataTypes.STRING().notNull()), Column.physical("votes", DataTypes.INT()));
        OutputColumns columns = config(Map.of("model", "openai:gpt-4o"), out).output();
        assertThrows(IllegalArgumentException.class, () -> columns.ofObject(Map.of("votes", 3L))); // title missing
        assertThrows(IllegalArgumentException.class, () -> columns.ofObject(Map.of("title", "t", "votes", 1e12)));
        assertEquals(3, columns.ofObject(Map.of("title", "t", "votes", 3L)).getInt(1));
    }

    @Test
    void unsupportedColumnType_refusedNamingTheColumn() {
        ResolvedSchema out = ResolvedSchema.of(
                Column.physical("a", DataTypes.STRING()), Column.physical("when", DataTypes.TIMESTAMP(3)));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> config(Map.of("model", "openai:gpt-4o"), out));
        assertTrue(e.getMessage().contains("OUTPUT column when"), e.getMessage());
    }
}
