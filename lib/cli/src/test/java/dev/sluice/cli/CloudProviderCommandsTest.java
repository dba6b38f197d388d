package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.server.suite.FakeWords;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud providers through the tool's commands ({@code stream}, {@code object}, {@code agent},
 * {@code serve}, {@code --fallback}, {@code --hedge-after}), each configured from its cloud's
 * environment variables, against the test kit's fake of that cloud (on a fake server the test
 * starts, unpaced, or the embedded one).
 */
class CloudProviderCommandsTest {
    private static final String PROMPT = "Tell me about the ocean";
    /** A Bedrock model id, colons and all. */
    /** A Bedrock model id with colons, which the URL carries encoded. */
    private static final String CLAUDE_ON_BEDROCK = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    /** The bedrock and bedrock-anthropic providers' default model. */
    private static final String DEFAULT_ON_BEDROCK = dev.sluice.providers.ProviderCatalog.BEDROCK.defaultModel();

    private static final Path RECIPE =
            Path.of("../..").toAbsolutePath().normalize().resolve("docs/recipe.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeLlmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.builder().recordRequests(true).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Bedrock at the fake, with the fake's Bedrock API key. */
    private Map<String, String> bedrockEnv() {
        return Map.of(
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                server.baseUrl().toString(),
                "AWS_BEARER_TOKEN_BEDROCK",
                FakeBedrock.API_KEY,
                "AWS_REGION",
                "us-east-1");
    }

    private Map<String, String> with(Map<String, String> env, String... more) {
        Map<String, String> m = new HashMap<>(env);
        for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
        return m;
    }

    private String answer() {
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            return client.messages()
                    .create(MessageRequest.builder()
                            .model("claude-sonnet-4-5")
                            .maxTokens(1024)
                            .addUserMessage(PROMPT)
                            .build())
                    .text();
        }
    }

    private static List<String> lines(String s) {
        return s.lines().toList();
    }

    private RecordedRequest lastConverse() {
        List<RecordedRequest> converse = server.requests().stream()
                .filter(r -> r.path().endsWith("/converse-stream"))
                .toList();
        assertFalse(converse.isEmpty(), "a Converse request reached the fake");
        return converse.getLast();
    }

    // ------------------------------------------------------------------ stream

    @Test
    void stream_bedrockWithItsApiKey_theAnswerThroughConverse() throws Exception {
        String expected = answer();
        StreamCommandTest.Result r =
                StreamCommandTest.run(bedrockEnv(), Terminal.NONE, "--provider", "bedrock", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out()); // the fake's scenario is the same on every API
        assertTrue(lines(r.err()).contains("stop reason: end_turn"), r.err());
        assertTrue(r.err().matches("(?s).*\nrequest id: \\S+\n"), r.err());
        assertFalse(
                r.err().contains(FakeBedrock.API_KEY) || r.out().contains(FakeBedrock.API_KEY),
                "the key is never printed");
        assertEquals(
                "/model/" + DEFAULT_ON_BEDROCK.replace(":", "%3A") + "/converse-stream",
                lastConverse().path(),
                "the default model");
    }

    @Test
    void stream_bedrockWithAccessKeyAndTheGeneralEndpoint_signedRequestAnswered() throws Exception {
        String expected = answer();
        Map<String, String> env = Map.of(
                "AWS_ENDPOINT_URL",
                server.baseUrl().toString(),
                "AWS_REGION",
                "eu-west-3",
                "AWS_ACCESS_KEY_ID",
                FakeBedrock.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY",
                FakeBedrock.SECRET_ACCESS_KEY);
        StreamCommandTest.Result r = StreamCommandTest.run(
                env, Terminal.NONE, "--provider", "bedrock", "--model", "amazon.nova-pro-v1:0", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        RecordedRequest request = lastConverse();
        assertTrue(
                request.header("authorization")
                        .startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID + "/"),
                "signed with SigV4");
        assertTrue(request.header("authorization").contains("/eu-west-3/bedrock/aws4_request"), "for AWS_REGION");
        assertFalse(r.err().contains(FakeBedrock.SECRET_ACCESS_KEY) || r.out().contains(FakeBedrock.SECRET_ACCESS_KEY));
        assertFalse(r.err().contains("placeholder"), "credentials were given: " + r.err());
    }

    @Test
    void stream_bedrockWithoutEnvironment_theEmbeddedFakeAnswersWithItsTestKey() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), Terminal.NONE, "--provider", "bedrock", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertTrue(
                lines(r.err())
                        .get(0)
                        .startsWith("sluice: no AWS_REGION, AWS_BEARER_TOKEN_BEDROCK or AWS credentials set;"
                                + " streaming from the embedded fake server at http://127.0.0.1:"),
                r.err());
        assertEquals(answer(), r.out());
    }

    /** No credentials anywhere (a process of its own: the default chain reads the process's environment and files). */
    @Test
    void stream_bedrockRegionWithoutCredentials_exitOneSayingWhatWasTriedAndWhatToSet() throws Exception {
        Process p = process(
                Map.of(
                        "AWS_REGION",
                        "us-east-1",
                        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                        server.baseUrl().toString(),
                        "AWS_SHARED_CREDENTIALS_FILE",
                        "/nonexistent/credentials",
                        "AWS_CONFIG_FILE",
                        "/nonexistent/config"),
                "stream",
                "--provider",
                "bedrock",
                PROMPT);

        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), err);
        assertTrue(err.startsWith("error: no AWS credentials were found; tried, in the AWS SDK's order: "), err);
        assertTrue(err.contains("instance metadata (IMDSv2): AWS_EC2_METADATA_DISABLED is true"), err);
        assertTrue(
                err.endsWith(
                        ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary keys), choose a"
                                + " profile of ~/.aws/credentials or ~/.aws/config with AWS_PROFILE, or give a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK\n"),
                err);
        assertFalse(err.contains("placeholder"), "the chain, not a placeholder: " + err);
        assertEquals(
                0,
                server.requests().stream()
                        .filter(r -> r.path().endsWith("/converse-stream"))
                        .count(),
                "nothing sent");
    }

    /**
     * {@code --total-timeout} includes getting the credentials: the container credentials endpoint sends
     * its headers and a few bytes, then nothing (a degraded ECS or EKS Pod Identity agent); the stream
     * ends at its 2 s, not at the fetch's own deadline (5 s), nor never.
     */
    @Test
    void stream_bedrockContainerCredentialsStall_totalTimeoutIncludesGettingThem(@TempDir Path home) {
        try (FakeLlmServer agent = FakeLlmServer.builder().start()) {
            agent.enqueue(FakeResponse.status(200)
                    .body("application/json", "{\"AccessKeyId\":\"AKID\",\"SecretAccessKey\":\"s\",\"Token\":\"t\"}")
                    .stallAfterBytes(5));
            long start = System.nanoTime();
            StreamCommandTest.Result r = StreamCommandTest.run(
                    Map.of(
                            "AWS_REGION", "us-east-1",
                            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", server.baseUrl().toString(),
                            "AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.baseUrl() + "/creds",
                            "AWS_EC2_METADATA_DISABLED", "true",
                            "HOME", home.toString(),
                            "AWS_SHARED_CREDENTIALS_FILE", home.resolve("none").toString(),
                            "AWS_CONFIG_FILE", home.resolve("none").toString()),
                    Terminal.NONE,
                    "--provider",
                    "bedrock",
                    "--total-timeout",
                    "2",
                    PROMPT);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertTrue(r.err().contains("total timeout"), r.err());
            assertTrue(took.compareTo(Duration.ofMillis(4500)) < 0, "ended after " + took + ": " + r.err());
            assertEquals(0, server.requests().size(), "nothing sent to Bedrock");
        }
    }

    @Test
    void stream_bedrockAccessKeyWithoutSecret_exitOneSayingToSetBoth() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
                Terminal.NONE,
                "--provider",
                "bedrock",
                PROMPT);

        assertEquals(1, r.code(), r.err());
        assertTrue(
                r.err().startsWith("error: AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: set both"), r.err());
    }

    @Test
    void stream_bedrockBadRegionOrEndpoint_usageErrorNamingTheVariableNothingSent() {
        StreamCommandTest.Result region = StreamCommandTest.run(
                with(bedrockEnv(), "AWS_REGION", "Frankfurt"), Terminal.NONE, "--provider", "bedrock", PROMPT);
        assertEquals(2, region.code(), region.err());
        assertEquals( // docs/cli.md's two lines of a usage error (the help line was missing)
                "error: AWS_REGION is not an AWS region's name (such as us-east-1): 'Frankfurt'\n"
                        + "run 'sluice stream --help' for its flags and arguments\n",
                region.err());

        StreamCommandTest.Result endpoint = StreamCommandTest.run(
                with(bedrockEnv(), "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "bedrock.local"),
                Terminal.NONE,
                "--provider",
                "bedrock",
                PROMPT);
        assertEquals(2, endpoint.code(), endpoint.err());
        assertTrue(endpoint.err().startsWith("error: AWS_ENDPOINT_URL_BEDROCK_RUNTIME "), endpoint.err());
        assertEquals(0, server.requestCount());
    }

    @Test
    void stream_bedrockWrongApiKey_theErrorIsAwsTypeNeverTheKey() {
        String key = "ABSKsomeone-elses-key-0123456789";
        StreamCommandTest.Result r = StreamCommandTest.run(
                with(bedrockEnv(), "AWS_BEARER_TOKEN_BEDROCK", key), Terminal.NONE, "--provider", "bedrock", PROMPT);

        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("AccessDeniedException"), r.err());
        assertFalse(r.err().contains(key) || r.out().contains(key), r.err());
    }

    // ------------------------------------------------------------------ Claude on Bedrock

    @Test
    void stream_bedrockAnthropic_theAnswerThroughInvokeWithResponseStream() {
        StreamCommandTest.Result r =
                StreamCommandTest.run(bedrockEnv(), Terminal.NONE, "--provider", "bedrock-anthropic", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(answer(), r.out());
        assertTrue(lines(r.err()).contains("stop reason: end_turn"), r.err());
        assertTrue(
                server.requests().stream()
                        .anyMatch(q -> q.path()
                                .equals("/model/" + DEFAULT_ON_BEDROCK.replace(":", "%3A")
                                        + "/invoke-with-response-stream")),
                "Claude's own events through Bedrock");
        assertFalse(r.err().contains(FakeBedrock.API_KEY), r.err());
    }

    /**
     * Anthropic's API cut mid-answer: Claude through a cloud goes on from where it stopped, with the
     * text so far as a prefill (Vertex AI from the embedded fake: none of its variables is set).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "bedrock-anthropic:" + CLAUDE_ON_BEDROCK,
                "vertex-anthropic:claude-sonnet-4-5@20250929",
                "foundry-anthropic:claude-sonnet-4-5"
            })
    void stream_anthropicCutWithClaudeOnACloudAsFallback_theAnswerGoesOnWhereItStopped(String target) {
        String expected = answer();
        Map<String, String> env = with(
                bedrockEnv(),
                "ANTHROPIC_BASE_URL",
                server.baseUrl().toString(),
                "ANTHROPIC_API_KEY",
                "sk-ant-test",
                "ANTHROPIC_FOUNDRY_BASE_URL",
                server.baseUrl() + "/anthropic",
                "ANTHROPIC_FOUNDRY_API_KEY",
                FakeAzure.API_KEY);
        StreamCommandTest.Result r =
                StreamCommandTest.run(env, Terminal.NONE, "--model", "fake-drop", "--fallback", target, PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out(), "every character once");
        assertTrue(
                r.err()
                        .matches("(?s).*sluice: switched to " + java.util.regex.Pattern.quote(target)
                                + " after connection lost on anthropic:fake-drop \\(request id req_fake_\\w+\\);"
                                + " the answer goes on where it stopped\n.*"),
                r.err());
    }

    // ------------------------------------------------------------------ Vertex AI

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "vertex, /publishers/google/models/gemini-3.8-flash:streamGenerateContent",
        "vertex-anthropic, /publishers/anthropic/models/claude-sonnet-5-5:streamRawPredict"
    })
    void stream_vertexWithoutEnvironment_theEmbeddedFakeAnswersWithItsTokenAndProject(String provider, String route) {
        StreamCommandTest.Result r = StreamCommandTest.run(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), Terminal.NONE, "--provider", provider, PROMPT);

        assertEquals(0, r.code(), r.err());
        assertTrue(
                lines(r.err())
                        .get(0)
                        .startsWith("sluice: no GOOGLE_CLOUD_PROJECT or GOOGLE_APPLICATION_CREDENTIALS set;"
                                + " streaming from the embedded fake server at http://127.0.0.1:"),
                r.err());
        assertEquals(answer(), r.out());
        assertFalse(r.err().contains(dev.sluice.testkit.clouds.FakeVertex.ACCESS_TOKEN), r.err());
    }

    /**
     * The whole way a user configures Vertex AI, in a JVM of its own whose environment is only that:
     * a service account key file (Application Default Credentials: the token from the fake's token
     * endpoint), the location and the base URL.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "vertex, /publishers/google/models/gemini-3.8-flash:streamGenerateContent",
        "vertex-anthropic, /publishers/anthropic/models/claude-sonnet-5-5:streamRawPredict"
    })
    void stream_vertexFromApplicationDefaultCredentials_aProcessOfItsOwn(
            String provider, String route, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path key = Files.writeString(
                dir.resolve("key.json"), dev.sluice.testkit.clouds.FakeVertex.serviceAccountJson(server.baseUrl()));
        Process p = process(
                Map.of(
                        "GOOGLE_APPLICATION_CREDENTIALS",
                        key.toString(),
                        "GOOGLE_CLOUD_LOCATION",
                        "us-central1",
                        "GOOGLE_VERTEX_BASE_URL",
                        server.baseUrl().toString()),
                "stream",
                "--provider",
                provider,
                PROMPT);

        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(answer(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        List<String> paths =
                server.requests().stream().map(RecordedRequest::path).toList();
        assertTrue(paths.contains(dev.sluice.testkit.clouds.FakeVertex.TOKEN_PATH), "a token from the key: " + paths);
        assertTrue(
                paths.contains("/v1/projects/sluice-fake-project/locations/us-central1" + route),
                "the key's project: " + paths);
    }

    @Test
    void stream_vertexBadLocation_usageErrorNamingTheVariable() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                Map.of("GOOGLE_CLOUD_LOCATION", "the moon"), Terminal.NONE, "--provider", "vertex", PROMPT);
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "error: GOOGLE_CLOUD_LOCATION: 'the moon' is not a Vertex AI location (global, or a region such as us-central1)\n"
                        + "run 'sluice stream --help' for its flags and arguments\n",
                r.err());
    }

    /** {@return {@code sluice ARGS} in a JVM of its own with only this environment (and PATH), unpaced} */
    private static Process process(Map<String, String> env, String... args) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.cli.Sluice"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        String path = pb.environment().get("PATH");
        pb.environment().clear(); // no cloud variable of this machine's
        if (path != null) pb.environment().put("PATH", path);
        pb.environment()
                .put("HOME", System.getProperty("java.io.tmpdir")); // no gcloud, AWS or Azure files of this user's
        pb.environment().put("NO_GCE_CHECK", "true"); // never a metadata server
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put(Endpoint.FAKE_RATE_VARIABLE, "0");
        pb.environment().putAll(env);
        return pb.start();
    }

    // ------------------------------------------------------------------ Azure OpenAI and Foundry

    private Map<String, String> azureEnv() {
        String base = server.baseUrl().toString();
        return Map.of(
                "AZURE_OPENAI_ENDPOINT",
                base,
                "AZURE_OPENAI_API_KEY",
                FakeAzure.API_KEY,
                "ANTHROPIC_FOUNDRY_BASE_URL",
                base + "/anthropic",
                "ANTHROPIC_FOUNDRY_API_KEY",
                FakeAzure.API_KEY);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "azure-openai, /openai/v1/chat/completions, stop",
        "azure-openai-responses, /openai/v1/responses, completed",
        "foundry-anthropic, /anthropic/v1/messages, end_turn"
    })
    void stream_azureWithTheResourcesKey_theAnswerThroughItsApi(String provider, String path, String stop) {
        StreamCommandTest.Result r = StreamCommandTest.run(azureEnv(), Terminal.NONE, "--provider", provider, PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(answer(), r.out());
        assertTrue(lines(r.err()).contains("stop reason: " + stop), r.err());
        assertTrue(server.requests().stream().anyMatch(q -> q.path().equals(path)), "reached " + path);
        assertFalse(r.err().contains(FakeAzure.API_KEY) || r.out().contains(FakeAzure.API_KEY), r.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "azure-openai, AZURE_OPENAI_ENDPOINT",
        "azure-openai-responses, AZURE_OPENAI_ENDPOINT",
        "foundry-anthropic, ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL"
    })
    void stream_azureWithoutEnvironment_theEmbeddedFakeAnswersWithItsKey(String provider, String unset) {
        StreamCommandTest.Result r = StreamCommandTest.run(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), Terminal.NONE, "--provider", provider, PROMPT);

        assertEquals(0, r.code(), r.err());
        assertTrue(
                lines(r.err())
                        .get(0)
                        .startsWith("sluice: no " + unset + " set; streaming from the embedded fake server at"),
                r.err());
        assertEquals(answer(), r.out());
    }

    /** Microsoft Entra ID's client secret, in a process of its own: the token from the fake's Entra ID, then Azure OpenAI with it. */
    @Test
    void stream_azureOpenAiWithEntraIdClientSecret_aProcessOfItsOwn() throws Exception {
        String base = server.baseUrl().toString();
        Process p = process(
                Map.of(
                        "AZURE_OPENAI_ENDPOINT",
                        base,
                        "AZURE_TENANT_ID",
                        FakeAzure.TENANT_ID,
                        "AZURE_CLIENT_ID",
                        FakeAzure.CLIENT_ID,
                        "AZURE_CLIENT_SECRET",
                        FakeAzure.CLIENT_SECRET,
                        "AZURE_AUTHORITY_HOST",
                        base),
                "stream",
                "--provider",
                "azure-openai",
                PROMPT);

        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertEquals(answer(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(
                server.requests().stream()
                        .anyMatch(q -> q.path().equals("/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token")),
                "a token from Entra ID");
        RecordedRequest chat = server.requests().stream()
                .filter(q -> q.path().equals("/openai/v1/chat/completions"))
                .findFirst()
                .orElseThrow();
        assertTrue(chat.header("authorization").startsWith("Bearer " + FakeAzure.TOKEN_PREFIX), "the token, not a key");
        assertFalse(err.contains(FakeAzure.CLIENT_SECRET), err);
    }

    @Test
    void stream_azureEntraIdWithoutEndpoint_exitOneSayingToSetIt() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                Map.of("AZURE_CLIENT_ID", FakeAzure.CLIENT_ID), Terminal.NONE, "--provider", "azure-openai", PROMPT);

        assertEquals(1, r.code(), r.err());
        assertEquals(
                "error: Azure OpenAI needs its endpoint: set AZURE_OPENAI_ENDPOINT to the resource's, such as"
                        + " https://my-resource.openai.azure.com\n",
                r.err());
    }

    @Test
    void stream_foundryResourceAndBaseUrlOrABadResource_usageErrorNamingThem() {
        StreamCommandTest.Result both = StreamCommandTest.run(
                with(azureEnv(), "ANTHROPIC_FOUNDRY_RESOURCE", "my-resource"),
                Terminal.NONE,
                "--provider",
                "foundry-anthropic",
                PROMPT);
        assertEquals(2, both.code(), both.err());
        assertEquals(
                "error: set one of ANTHROPIC_FOUNDRY_RESOURCE and ANTHROPIC_FOUNDRY_BASE_URL, not both\n"
                        + "run 'sluice stream --help' for its flags and arguments\n",
                both.err());

        StreamCommandTest.Result bad = StreamCommandTest.run(
                Map.of("ANTHROPIC_FOUNDRY_RESOURCE", "my resource"),
                Terminal.NONE,
                "--provider",
                "foundry-anthropic",
                PROMPT);
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("error: ANTHROPIC_FOUNDRY_RESOURCE is not a resource's name"), bad.err());
        assertEquals(0, server.requestCount());
    }

    @Test
    void object_azureOpenAi_theObjectThroughResponseFormat() throws Exception {
        StreamCommandTest.Result r = object(
                azureEnv(),
                "--provider",
                "azure-openai",
                "--model",
                "gpt-4o",
                "--schema",
                RECIPE.toString(),
                "a recipe for pancakes");

        assertEquals(0, r.code(), r.err());
        ObjectSchema.parse("recipe", Files.readString(RECIPE)).read(r.out());
        RecordedRequest sent = server.requests().stream()
                .filter(q -> q.path().equals("/openai/v1/chat/completions"))
                .findFirst()
                .orElseThrow();
        assertEquals("recipe", sent.json("/response_format/json_schema/name"));
    }

    // ------------------------------------------------------------------ --fallback and --hedge-after

    @Test
    void stream_fallbackToABedrockModelIdWithColons_switchesThereNamingItWhole() throws Exception {
        String expected = answer();
        Map<String, String> env = with(
                bedrockEnv(), "ANTHROPIC_BASE_URL", server.baseUrl().toString(), "ANTHROPIC_API_KEY", "sk-ant-test");
        StreamCommandTest.Result r = StreamCommandTest.run(
                env,
                Terminal.NONE,
                "--model",
                "fake-overloaded",
                "--max-retries",
                "0",
                "--fallback",
                "bedrock:" + CLAUDE_ON_BEDROCK,
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        assertTrue(
                r.err()
                        .matches("(?s).*switched to bedrock:" + java.util.regex.Pattern.quote(CLAUDE_ON_BEDROCK)
                                + " after overloaded on anthropic:fake-overloaded \\(request id req_fake_\\w+\\)\n.*"),
                r.err());
        assertEquals(
                "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/converse-stream",
                lastConverse().path());
    }

    @Test
    void stream_hedgeAfterWithBedrockFallback_bedrockAnswersAndTheSummaryNamesIt() {
        String expected = answer();
        Map<String, String> env = with(
                bedrockEnv(), "ANTHROPIC_BASE_URL", server.baseUrl().toString(), "ANTHROPIC_API_KEY", "sk-ant-test");
        StreamCommandTest.Result r = StreamCommandTest.run(
                env,
                Terminal.NONE,
                "--model",
                "fake-first-token-60000",
                "--fallback",
                "bedrock:" + CLAUDE_ON_BEDROCK,
                "--hedge-after",
                "200ms",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        assertTrue(
                r.err()
                        .contains("answered by: bedrock:" + CLAUDE_ON_BEDROCK
                                + " (hedged after 0.200 s: anthropic:fake-first-token-60000"
                                + " cancelled, its tokens 0)\n"),
                r.err());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void parse_fallbackTargets_splitOnTheFirstColonOnly() throws UsageException {
        Fallbacks.Target first =
                new Fallbacks.Target(dev.sluice.providers.ProviderCatalog.ANTHROPIC, "claude-sonnet-4-5");
        List<Fallbacks.Target> targets =
                Fallbacks.parse("bedrock:amazon.nova-pro-v1:0, bedrock, openai:gpt-4o-mini", first);

        assertEquals(3, targets.size());
        assertEquals("bedrock", targets.get(0).provider().id());
        assertEquals("amazon.nova-pro-v1:0", targets.get(0).model());
        assertEquals(
                "bedrock:" + dev.sluice.providers.ProviderCatalog.BEDROCK.defaultModel(),
                targets.get(1).name(),
                "a provider alone: its default model");
        assertEquals("openai:gpt-4o-mini", targets.get(2).name());
    }

    @Test
    void parse_fallbackBedrockDefaultModelTwice_usageErrorNamingTheWholeTarget() {
        Fallbacks.Target first =
                new Fallbacks.Target(dev.sluice.providers.ProviderCatalog.ANTHROPIC, "claude-sonnet-4-5");
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(
                UsageException.class, () -> Fallbacks.parse("bedrock, bedrock:" + DEFAULT_ON_BEDROCK, first));
        assertEquals("--fallback: bedrock:" + DEFAULT_ON_BEDROCK + " is a target already", e.getMessage());
    }

    // ------------------------------------------------------------------ object and agent

    private StreamCommandTest.Result object(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put("object", new ObjectCommand(env, () -> Terminal.NONE, false));
        List<String> all = new ArrayList<>(List.of("object"));
        all.addAll(List.of(args));
        int code = Sluice.run(
                commands,
                all,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new StreamCommandTest.Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Claude 4.5 on Bedrock has structured outputs: the schema goes as Converse's outputConfig.textFormat, the object comes as text. */
    @Test
    void object_bedrockClaude_schemaSentAsOutputConfigTextFormatAndTheObjectPrinted() throws Exception {
        StreamCommandTest.Result r =
                object(bedrockEnv(), "--provider", "bedrock", "--schema", RECIPE.toString(), "a recipe for pancakes");

        assertEquals(0, r.code(), r.err());
        ObjectSchema.parse("recipe", Files.readString(RECIPE)).read(r.out());
        JsonNode body = JSON.readTree(lastConverse().body());
        JsonNode format = body.path("outputConfig").path("textFormat");
        assertEquals("json_schema", format.path("type").asText(), body.toString());
        assertEquals(
                JSON.readTree(Files.readString(RECIPE)).path("properties").size(),
                JSON.readTree(format.path("structure")
                                .path("jsonSchema")
                                .path("schema")
                                .asText())
                        .path("properties")
                        .size());
        assertTrue(body.path("toolConfig").isMissingNode(), "no tool: " + body);
    }

    /** A model without Bedrock structured outputs: the schema goes as a tool the request forces (toolChoice.tool). */
    @Test
    void object_bedrockModelWithoutStructuredOutputs_schemaSentAsAForcedToolAndTheObjectPrinted() throws Exception {
        StreamCommandTest.Result r = object(
                bedrockEnv(),
                "--provider",
                "bedrock",
                "--model",
                "meta.llama3-3-70b-instruct-v1:0",
                "--schema",
                RECIPE.toString(),
                "a recipe for pancakes");

        assertEquals(0, r.code(), r.err());
        ObjectSchema.parse("recipe", Files.readString(RECIPE)).read(r.out());
        JsonNode body = JSON.readTree(lastConverse().body());
        String forced = body.path("toolConfig")
                .path("toolChoice")
                .path("tool")
                .path("name")
                .asText();
        assertFalse(forced.isEmpty(), body.toString());
        assertEquals(
                forced,
                body.path("toolConfig")
                        .path("tools")
                        .get(0)
                        .path("toolSpec")
                        .path("name")
                        .asText());
        assertTrue(body.path("outputConfig").isMissingNode(), body.toString());
        assertTrue(lines(r.err()).contains("stop reason: tool_use"), r.err());
    }

    @Test
    void agent_bedrock_toolCallsAndResultsGoThroughConverseToTheAnswer() throws Exception {
        AgentCommandTest.Result r = AgentCommandTest.run(
                bedrockEnv(),
                "--provider",
                "bedrock",
                "What's",
                "the",
                "weather",
                "in",
                "Paris?",
                "Then",
                "count",
                "to",
                "2");

        assertEquals(0, r.code(), r.err());
        assertEquals(
                "I'll check that for you.\nIn Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris"))
                        + " I counted to 2.\n",
                r.out());
        List<String> lines = r.errLines();
        assertTrue(lines.contains("tool get_weather({\"city\":\"Paris\"}) started"), r.err());
        assertTrue(lines.contains("tool count_slowly: 100% counted 2 of 2"), r.err());
        assertEquals("turns: 2", lines.getLast());
        JsonNode body = JSON.readTree(lastConverse().body());
        assertTrue(
                body.toString().contains("\"toolResult\""),
                "the results went back as Converse toolResult blocks: " + body);
        assertTrue(body.path("toolConfig").path("tools").size() >= 2, body.toString());
    }

    // ------------------------------------------------------------------ every cloud provider, on the embedded fake

    /** Each cloud's native structured output (or a forced tool), through the provider-neutral layer unchanged. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "bedrock",
                "bedrock-anthropic",
                "vertex",
                "vertex-anthropic",
                "azure-openai",
                "azure-openai-responses",
                "foundry-anthropic"
            })
    void object_everyCloudProviderOnTheEmbeddedFake_theValidObject(String provider) throws Exception {
        StreamCommandTest.Result r = object(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"),
                "--provider",
                provider,
                "--schema",
                RECIPE.toString(),
                "a recipe for pancakes");

        assertEquals(0, r.code(), r.err());
        ObjectSchema.parse("recipe", Files.readString(RECIPE)).read(r.out());
    }

    /** Each cloud's tool calls and results, through the tool runner unchanged. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "bedrock",
                "bedrock-anthropic",
                "vertex",
                "vertex-anthropic",
                "azure-openai",
                "azure-openai-responses",
                "foundry-anthropic"
            })
    void agent_everyCloudProviderOnTheEmbeddedFake_toolsToTheAnswer(String provider) {
        AgentCommandTest.Result r = AgentCommandTest.run(
                Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"),
                "--provider",
                provider,
                "What's",
                "the",
                "weather",
                "in",
                "Paris?",
                "Then",
                "count",
                "to",
                "2");

        assertEquals(0, r.code(), r.err());
        assertEquals(
                "I'll check that for you.\nIn Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris"))
                        + " I counted to 2.\n",
                r.out());
        assertTrue(r.errLines().contains("tool count_slowly: 100% counted 2 of 2"), r.err());
    }

    // ------------------------------------------------------------------ serve

    @Test
    void serve_bedrockDefaultWithAModelIdWithColons_offeredAllowedAndStreamed() throws Exception {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        AtomicInteger exit = new AtomicInteger(-1);
        List<String> args = List.of(
                "serve",
                "--port",
                "0",
                "--provider",
                "bedrock",
                "--models",
                "bedrock=" + CLAUDE_ON_BEDROCK + ",amazon.nova-pro-v1:0",
                "--resume-window",
                "0");
        Thread running = Thread.ofVirtual()
                .start(() -> exit.set(Sluice.run(
                        Map.of("serve", new ServeCommand(bedrockEnv())),
                        args,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintStream(new ByteArrayOutputStream()),
                        err)));
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> errBytes.toString(StandardCharsets.UTF_8).contains("sluice serve: http"));
            String printed = errBytes.toString(StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?m)^sluice serve: (http://127\\.0\\.0\\.1:\\d+/)$")
                    .matcher(printed);
            assertTrue(m.find(), printed);
            assertFalse(
                    printed.contains("bedrock;") || printed.contains(", bedrock"), "bedrock is configured: " + printed);
            URI base = URI.create(m.group(1));
            try (HttpClient http = HttpClient.newHttpClient()) {
                String providers = http.send(
                                HttpRequest.newBuilder(base.resolve("/api/providers"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertTrue(
                        providers.startsWith(
                                "{\"default\":\"bedrock\",\"providers\":[{\"name\":\"bedrock\",\"model\":\""
                                        + DEFAULT_ON_BEDROCK + "\"}"),
                        providers);
                for (String model : List.of("amazon.nova-pro-v1:0", "meta.llama3-3-70b-instruct-v1:0")) {
                    HttpResponse<String> created = http.send(
                            HttpRequest.newBuilder(base.resolve("/api/streams"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"prompt\":\"hi\",\"provider\":\"bedrock\",\"model\":\"" + model
                                                    + "\",\"maxTokens\":16}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (model.startsWith("meta.")) {
                        assertEquals(400, created.statusCode(), "not in the allowlist: " + created.body());
                        continue;
                    }
                    assertEquals(201, created.statusCode(), created.body());
                    String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
                    String body = http.send(
                                    HttpRequest.newBuilder(base.resolve(events)).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    assertTrue(body.contains("event: delta\nid: 2\ndata: {\"text\":\"Hello!"), body);
                    assertTrue(body.contains("event: done\n"), body);
                }
            }
            assertEquals(
                    "/model/amazon.nova-pro-v1%3A0/converse-stream",
                    lastConverse().path());
        } finally {
            running.interrupt();
            running.join(10_000);
        }
        assertEquals(0, exit.get());
    }

    @Test
    void serve_bedrockVariablesIncompleteAndNotAsked_leftOutSayingWhy() throws Exception {
        try (RunningServe serve = RunningServe.start(Map.of(
                Endpoint.FAKE_RATE_VARIABLE, "0", "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"))) {
            assertTrue(
                    serve.err()
                            .contains(
                                    "sluice serve: bedrock is not offered: AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY:"
                                            + " set both"),
                    serve.err());
            assertTrue(serve.err().contains("sluice serve: bedrock-anthropic is not offered: "), serve.err());
            try (HttpClient http = HttpClient.newHttpClient()) {
                String providers = http.send(
                                HttpRequest.newBuilder(serve.uri().resolve("/api/providers"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertFalse(providers.contains("bedrock"), providers);
            }
        }
    }

    /** Only AWS_REGION: no AWS credentials anywhere (no variables, no files, no metadata service here). */
    private static Map<String, String> regionOnly() {
        return Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_EC2_METADATA_DISABLED",
                "true",
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/sluice-test/credentials",
                "AWS_CONFIG_FILE",
                "/nonexistent/sluice-test/config");
    }

    @Test
    void serve_onlyAwsRegionAndNotAsked_bedrockLeftOutSayingWhy() throws Exception {
        // was offered, and a request got a bare "the stream failed" with the cause in the server's log only
        Map<String, String> env = new java.util.HashMap<>(regionOnly());
        env.put(Endpoint.FAKE_RATE_VARIABLE, "0");
        try (RunningServe serve = RunningServe.start(env)) {
            assertTrue(
                    serve.err().contains("sluice serve: bedrock is not offered: no AWS credentials were found"),
                    serve.err());
            assertTrue(serve.err().contains("sluice serve: bedrock-anthropic is not offered: "), serve.err());
            try (HttpClient http = HttpClient.newHttpClient()) {
                String providers = http.send(
                                HttpRequest.newBuilder(serve.uri().resolve("/api/providers"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertFalse(providers.contains("bedrock"), providers);
                assertTrue(providers.contains("anthropic"), providers);
            }
        }
    }

    @Test
    void serve_onlyAwsRegionAndBedrockAsked_exitOneSayingWhatToSet() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                Map.of("serve", new ServeCommand(regionOnly())),
                List.of("serve", "--port", "0", "--provider", "bedrock"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(1, code);
        assertTrue(
                err.toString(StandardCharsets.UTF_8).startsWith("error: no AWS credentials were found"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void serve_bedrockAskedWithIncompleteVariables_exitOneSayingWhatToSet() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                Map.of(
                        "serve",
                        new ServeCommand(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"))),
                List.of("serve", "--port", "0", "--provider", "bedrock"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(1, code);
        assertTrue(
                err.toString(StandardCharsets.UTF_8)
                        .contains("error: AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY"),
                err.toString(StandardCharsets.UTF_8));
    }
}
