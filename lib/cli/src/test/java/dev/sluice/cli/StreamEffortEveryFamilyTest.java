package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.models.ModelCapabilities;
import dev.sluice.models.ModelCatalog;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import dev.sluice.testkit.clouds.FakeVertex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 79's "Verified" item, through the tool: {@code sluice stream --provider P --model M --effort E}
 * for each current model family (every row of the model table with no retirement) on every provider
 * and cloud sends the form the provider documents for that model, and the stand-in — the test kit's
 * server, which refuses per model what the real APIs refuse (a budget where only adaptive thinking is
 * taken, {@code disabled} where {@code between_tools} is, an effort level the model lacks) — takes it.
 * The expected wire values are written out here from the providers' documentation (docs/streaming.md,
 * "Effort and thinking"), not computed from the table, so a wrong mapping fails twice: the fake's 400
 * and the value asserted. And each provider's default model (no {@code --model}) is sent and answered,
 * with no retirement notice.
 */
class StreamEffortEveryFamilyTest {
    /** Absent from the request. */
    private static final String ABSENT = "-";

    /**
     * provider | model as the provider names it | --effort | JSON pointer=value ... (value {@value #ABSENT}: absent).
     * Every current family of each maker is here at least once, on its maker's own API; each cloud at
     * least once.
     */
    private static final List<String> TABLE = List.of(
            // Anthropic's Messages API: adaptive thinking and output_config.effort from Claude 4.6, the nearest level
            "anthropic | claude-fable-5-2 | xhigh | /thinking/type=adaptive /output_config/effort=xhigh",
            "anthropic | claude-fable-5-1 | max | /thinking/type=adaptive /output_config/effort=max",
            "anthropic | claude-fable-5 | xhigh | /thinking/type=adaptive /output_config/effort=xhigh",
            "anthropic | claude-mythos-5-2 | minimal | /thinking/type=adaptive /output_config/effort=low",
            "anthropic | claude-mythos-5-1 | low | /thinking/type=adaptive /output_config/effort=low",
            "anthropic | claude-mythos-5 | medium | /thinking/type=adaptive /output_config/effort=medium",
            "anthropic | claude-opus-5-5 | xhigh | /thinking/type=adaptive /output_config/effort=xhigh",
            "anthropic | claude-opus-5 | none | /thinking/type=disabled /output_config/effort=-",
            "anthropic | claude-opus-4-8 | minimal | /thinking/type=adaptive /output_config/effort=low",
            "anthropic | claude-opus-4-7 | none | /thinking/type=disabled /output_config/effort=-",
            "anthropic | claude-opus-4-6 | xhigh | /thinking/type=adaptive /output_config/effort=max",
            "anthropic | claude-sonnet-5-5 | none | /thinking/type=between_tools /output_config/effort=-",
            "anthropic | claude-sonnet-5 | high | /thinking/type=adaptive /output_config/effort=high",
            "anthropic | claude-sonnet-4-6 | medium | /thinking/type=adaptive /output_config/effort=medium",
            "anthropic | claude-haiku-5-5 | none | /thinking/type=disabled /output_config/effort=-",
            // Opus 4.5: the effort beside a budget; Haiku 4.5 and older: a budget only (Haiku 4.5 refuses the effort)
            "anthropic | claude-opus-4-5 | medium"
                    + " | /thinking/type=enabled /thinking/budget_tokens=8192 /output_config/effort=medium",
            "anthropic | claude-haiku-4-5 | low | /thinking/type=enabled /thinking/budget_tokens=2048 /output_config=-",
            "anthropic | claude-opus-4-1 | high | /thinking/type=enabled /thinking/budget_tokens=16384 /output_config=-",
            "anthropic | claude-3-5-haiku | none | /thinking=- /output_config=-",
            "anthropic | claude-3-haiku-20240307 | none | /thinking=- /output_config=-",
            // OpenAI: reasoning_effort on Chat Completions, reasoning.effort on Responses, the nearest value
            "openai | gpt-6.2-astra | minimal | /reasoning_effort=low",
            "openai | gpt-6.2-sol | max | /reasoning_effort=max",
            "openai | gpt-6.1-sol | minimal | /reasoning_effort=low",
            "openai | gpt-6.1-terra | none | /reasoning_effort=none",
            "openai | gpt-6.1-luna | xhigh | /reasoning_effort=xhigh",
            "openai | gpt-6-astra | medium | /reasoning_effort=medium",
            "openai | gpt-6-sol | none | /reasoning_effort=none",
            "openai | gpt-6-luna | high | /reasoning_effort=high",
            "openai-responses | gpt-5.6-sol | minimal | /reasoning/effort=low",
            "openai-responses | gpt-5.6-terra | max | /reasoning/effort=max",
            "openai-responses | gpt-5.6-luna | none | /reasoning/effort=none",
            "openai-responses | gpt-5.6 | high | /reasoning/effort=high",
            "openai-responses | gpt-5.5 | max | /reasoning/effort=xhigh",
            "openai-responses | gpt-5.4 | low | /reasoning/effort=low",
            "openai | gpt-4.1-mini | none | /reasoning_effort=-",
            "openai | gpt-audio | none | /reasoning_effort=-",
            "openai | gpt-4o-audio-preview | none | /reasoning_effort=-",
            "openai | gpt-4o-mini-audio-preview | none | /reasoning_effort=-",
            // Gemini: thinkingLevel on Gemini 3, a budget on 2.5 (within the model's range; none is 0)
            "gemini | gemini-3.8-flash | minimal | /generationConfig/thinkingConfig/thinkingLevel=LOW",
            "gemini | gemini-3.7-flash | minimal | /generationConfig/thinkingConfig/thinkingLevel=LOW",
            "gemini | gemini-3.6-flash | medium | /generationConfig/thinkingConfig/thinkingLevel=MEDIUM",
            "gemini | gemini-3.5-flash-lite | low | /generationConfig/thinkingConfig/thinkingLevel=LOW",
            "gemini | gemini-3.5-flash | high | /generationConfig/thinkingConfig/thinkingLevel=HIGH",
            "gemini | gemini-3.1-pro | minimal | /generationConfig/thinkingConfig/thinkingLevel=LOW",
            "gemini | gemini-3.1-flash-lite | max | /generationConfig/thinkingConfig/thinkingLevel=HIGH",
            "gemini | gemini-3-pro | medium | /generationConfig/thinkingConfig/thinkingLevel=HIGH",
            "gemini | gemini-3-flash | xhigh | /generationConfig/thinkingConfig/thinkingLevel=HIGH",
            "gemini | gemini-2.5-pro | low"
                    + " | /generationConfig/thinkingConfig/thinkingBudget=2048"
                    + " /generationConfig/thinkingConfig/thinkingLevel=-",
            "gemini | gemini-2.5-flash-lite | none | /generationConfig/thinkingConfig/thinkingBudget=0",
            // the clouds: the same forms, by the clouds' ids and on their routes
            "bedrock | us.anthropic.claude-sonnet-5-5 | high"
                    + " | /additionalModelRequestFields/thinking/type=adaptive"
                    + " /additionalModelRequestFields/output_config/effort=high",
            "bedrock | global.anthropic.claude-haiku-4-5-20251001-v1:0 | low"
                    + " | /additionalModelRequestFields/thinking/type=enabled"
                    + " /additionalModelRequestFields/thinking/budget_tokens=2048"
                    + " /additionalModelRequestFields/output_config=-",
            "bedrock | us.anthropic.claude-sonnet-5-5 | none"
                    + " | /additionalModelRequestFields/thinking/type=between_tools",
            "bedrock-anthropic | us.anthropic.claude-opus-5-5 | xhigh"
                    + " | /thinking/type=adaptive /output_config/effort=xhigh",
            "bedrock-mantle-anthropic | anthropic.claude-opus-4-8 | none | /thinking/type=disabled",
            "vertex-anthropic | claude-sonnet-5-5 | none | /thinking/type=between_tools /output_config/effort=-",
            "vertex-anthropic | claude-opus-4-5@20251101 | high"
                    + " | /thinking/type=enabled /thinking/budget_tokens=16384 /output_config/effort=high",
            "foundry-anthropic | claude-opus-4-6 | xhigh | /thinking/type=adaptive /output_config/effort=max",
            "foundry-anthropic | claude-haiku-5-5 | max | /thinking/type=adaptive /output_config/effort=max",
            "bedrock-openai | us.openai.gpt-6-sol | minimal | /reasoning_effort=low",
            "bedrock-openai-responses | openai.gpt-5.6-terra | max | /reasoning/effort=max",
            "azure-openai | gpt-6-luna | none | /reasoning_effort=none",
            "azure-openai-responses | gpt-6.1-terra | xhigh | /reasoning/effort=xhigh",
            "vertex | gemini-3.5-flash | minimal | /generationConfig/thinkingConfig/thinkingLevel=MINIMAL",
            "vertex | gemini-2.5-flash-lite | max | /generationConfig/thinkingConfig/thinkingBudget=24576");

    private FakeLlmServer server;
    /** The fake's service account key, for Vertex AI's Application Default Credentials. */
    private Path key;

    @BeforeEach
    void start() throws IOException {
        server = FakeLlmServer.start();
        key = Files.createTempFile("sluice-vertex-key", ".json");
        Files.writeString(key, FakeVertex.serviceAccountJson(server.baseUrl()));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        Files.deleteIfExists(key);
    }

    /** Every provider and cloud at the one fake, with the fake's keys and credentials. */
    private Map<String, String> env() {
        String url = server.baseUrl().toString();
        Map<String, String> env = new HashMap<>();
        env.putAll(StreamEffortTest.directProviders(url));
        env.putAll(Map.of(
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                url,
                "AWS_ENDPOINT_URL_BEDROCK_MANTLE",
                url + "/mantle",
                "AWS_BEARER_TOKEN_BEDROCK",
                FakeBedrock.API_KEY,
                "AWS_REGION",
                "us-east-1"));
        env.putAll(Map.of(
                "GOOGLE_APPLICATION_CREDENTIALS",
                key.toString(),
                "GOOGLE_CLOUD_LOCATION",
                "us-central1",
                "GOOGLE_VERTEX_BASE_URL",
                url));
        env.putAll(Map.of(
                "AZURE_OPENAI_ENDPOINT",
                url,
                "AZURE_OPENAI_API_KEY",
                FakeAzure.API_KEY,
                "ANTHROPIC_FOUNDRY_BASE_URL",
                url + "/anthropic",
                "ANTHROPIC_FOUNDRY_API_KEY",
                FakeAzure.API_KEY));
        return env;
    }

    static Stream<Arguments> table() {
        return TABLE.stream().map(row -> {
            String[] cells = Arrays.stream(row.split("\\|")).map(String::strip).toArray(String[]::new);
            return Arguments.of(cells[0], cells[1], cells[2], cells[3]);
        });
    }

    /** {@return the last request to a model (not a token or credential endpoint)} */
    private RecordedRequest lastModelRequest() {
        List<RecordedRequest> model = server.requests().stream()
                .filter(q -> q.method().equals("POST") && !q.path().endsWith("/token"))
                .toList();
        assertFalse(model.isEmpty(), "a request reached the fake: " + server.requests());
        return model.getLast();
    }

    @ParameterizedTest(name = "{0} {1} --effort {2}")
    @MethodSource("table")
    void stream_effortOnEachCurrentFamily_theFormItsProviderDocumentsAndTheStandInTakesIt(
            String provider, String model, String effort, String expected) {
        int limit = ModelCatalog.find(model).orElseThrow().maxOutputTokens();
        String maxTokens = String.valueOf(limit > 0 ? Math.min(limit, 20000) : 20000); // room for a budget
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(),
                Terminal.NONE,
                "--provider",
                provider,
                "--model",
                model,
                "--effort",
                effort,
                "--max-tokens",
                maxTokens,
                "Hello there");

        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().isEmpty(), r.err());
        RecordedRequest sent = lastModelRequest();
        assertTrue(
                model.equals(sent.json("/model")) || sent.path().contains(model.replace(":", "%3A")),
                "the model asked is the model sent: " + sent.path() + " " + sent.body());
        for (String expectation : expected.split(" +")) {
            String pointer = expectation.substring(0, expectation.indexOf('='));
            String value = expectation.substring(expectation.indexOf('=') + 1);
            Object at = sent.json(pointer);
            if (value.equals(ABSENT)) assertEquals(null, at, pointer + " in " + sent.body());
            else assertEquals(value, String.valueOf(at), pointer + " in " + sent.body());
        }
    }

    /** The table keeps up with the model table: a family added without a row here fails. */
    @Test
    void table_everyCurrentFamilyAndEveryProvider_present() {
        Set<String> families = new TreeSet<>();
        Set<String> providers = new TreeSet<>();
        table().forEach(a -> {
            providers.add((String) a.get()[0]);
            families.add(ModelCatalog.find((String) a.get()[1])
                    .orElseThrow(() -> new AssertionError(a.get()[1] + " is not in the model table"))
                    .model());
        });
        Set<String> current = ModelCatalog.all().stream()
                .filter(c -> c.retires() == null && c.replacement() == null)
                .map(ModelCapabilities::model)
                .collect(Collectors.toCollection(TreeSet::new));
        current.removeAll(families);
        assertEquals(Set.of(), current, "current families without a row");
        Set<String> all = Arrays.stream(ProviderCatalog.values())
                .map(ProviderCatalog::id)
                .collect(Collectors.toCollection(TreeSet::new));
        all.removeAll(providers);
        assertEquals(Set.of(), all, "providers without a row");
    }

    /** With no {@code --model}, each provider asks its catalog default, a served model the stand-in answers, with no notice. */
    @ParameterizedTest
    @EnumSource(ProviderCatalog.class)
    void stream_noModel_theProvidersDefaultIsSentAndAnsweredWithNoNotice(ProviderCatalog provider) {
        StreamCommandTest.Result r =
                StreamCommandTest.run(env(), Terminal.NONE, "--provider", provider.id(), "Hello there");

        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().isEmpty(), r.err());
        assertFalse(r.err().contains("notice: "), r.err());
        RecordedRequest sent = lastModelRequest();
        String model = provider.defaultModel();
        assertTrue(
                model.equals(sent.json("/model")) || sent.path().contains(model),
                provider + " sent its default " + model + ": " + sent.path() + " " + sent.body());
        ModelCapabilities row = ModelCatalog.find(model).orElseThrow();
        assertEquals(null, row.retires(), model);
    }
}
