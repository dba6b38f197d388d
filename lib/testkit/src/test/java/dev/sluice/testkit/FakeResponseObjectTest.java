package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.StructuredCall.Api;
import dev.sluice.testkit.StructuredCall.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Scripted structured answers, {@link FakeResponse#object()}: each fault on the wire in each API's own shape. */
class FakeResponseObjectTest {
    private static final String PROMPT = "Give me a recipe for pancakes";
    private static final String REFUSAL = "I can't help with that.";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    static List<org.junit.jupiter.params.provider.Arguments> apisAndPaths() {
        return FakeLlmServerStructuredOutputTest.apisAndPaths();
    }

    private StructuredCall.Result send(FakeResponse response, Api api, Path path, boolean stream) {
        server.enqueue(response);
        return StructuredCall.send(server, api, path, PROMPT, ObjectAnswerTest.RECIPE, stream, 4096);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void object_generatedForTheRequestsSchema_sameAsTheServersOwnAnswer(Api api, Path path) {
        StructuredCall.Result scripted = send(FakeResponse.object(), api, path, true);
        StructuredCall.Result own = StructuredCall.send(server, api, path, PROMPT, ObjectAnswerTest.RECIPE, true, 4096);

        assertEquals(List.of(), SchemaValidator.errors(ObjectAnswerTest.RECIPE, TestClient.parse(scripted.json())));
        assertEquals(own.json(), scripted.json());
        assertEquals(StructuredCall.endOf(api, path), scripted.stop());
        assertEquals(own.outputTokens(), scripted.outputTokens(), "usage estimated as for the server's own answer");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void objectOfPieces_thosePiecesInTheRequestsWay(Api api, Path path) {
        List<String> pieces = List.of("{\"ti", "tle\":\"Pan\\u00", "e9\",\"serv", "ings\":1", "2}");
        StructuredCall.Result r = send(FakeResponse.object(pieces.toArray(String[]::new)), api, path, true);

        if (api == Api.GEMINI && path == Path.TOOL) {
            assertEquals("{\"title\":\"Pané\",\"servings\":12}", r.json(), "Gemini sends the arguments whole, parsed");
        } else {
            assertEquals(pieces, r.deltas(), "split as scripted: inside a key, an escape and a number");
        }
        assertEquals(StructuredCall.endOf(api, path), r.stop());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void truncatedAfter_theJsonCutThereWithTheLimitAsEnding(Api api, Path path) {
        String whole = send(FakeResponse.object(), api, Path.NATIVE, true).json();
        StructuredCall.Result r = send(FakeResponse.object().truncatedAfter(40), api, path, true);

        assertEquals(StructuredCall.truncatedEnd(api), r.stop());
        if (api == Api.GEMINI && path == Path.TOOL) {
            assertEquals("", r.json(), "a cut call is not sent");
            assertFalse(r.events().toString().contains("functionCall"));
        } else {
            assertEquals(whole.substring(0, 40), r.json());
        }
        if (api == Api.RESPONSES) {
            assertEquals(
                    "max_output_tokens",
                    r.events()
                            .getLast()
                            .path("response")
                            .path("incomplete_details")
                            .path("reason")
                            .asText());
            if (path == Path.TOOL)
                assertEquals(
                        "incomplete",
                        r.events().getLast().at("/response/output/0/status").asText(),
                        "the cut call");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void invalidJson_doesNotParse(Api api, Path path) {
        StructuredCall.Result r = send(FakeResponse.object().invalidJson(), api, path, true);

        if (api == Api.GEMINI && path == Path.TOOL) {
            assertEquals("{}", r.json(), "Gemini sends arguments as an object: what does not parse is {}");
            return;
        }
        assertTrue(r.json().endsWith(",]"), r.json());
        assertThrows(java.io.UncheckedIOException.class, () -> TestClient.parse(r.json()));
        assertEquals(StructuredCall.endOf(api, path), r.stop());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void wrongTypeAt_validJsonThatBreaksTheSchemaThere(Api api, Path path) {
        StructuredCall.Result r = send(FakeResponse.object().wrongTypeAt("/ingredients/0/quantity"), api, path, true);

        JsonNode v = TestClient.parse(r.json());
        assertEquals("not a number", v.at("/ingredients/0/quantity").asText());
        assertEquals(
                List.of("/ingredients/0/quantity: type [number] expected, got \"not a number\""),
                SchemaValidator.errors(ObjectAnswerTest.RECIPE, v));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void wrongTypeAt_pathNotInTheAnswer_500NamingIt(Api api) {
        StructuredCall.Result r = send(FakeResponse.object().wrongTypeAt("/nope"), api, Path.NATIVE, true);

        assertEquals(500, r.status());
        assertTrue(
                r.events().getFirst().toString().contains("wrongTypeAt(\\\"/nope\\\")"),
                r.events().toString());
    }

    @Test
    void refused_anthropicStream_noContentStopReasonRefusalWithStopDetails() {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.ANTHROPIC, Path.NATIVE, true);

        assertEquals(List.of("message_start", "message_delta", "message_stop"), r.types());
        assertEquals(
                "{\"stop_reason\":\"refusal\",\"stop_sequence\":null,\"stop_details\":{\"type\":\"refusal\",\"category\":null,"
                        + "\"explanation\":\"I can't help with that.\"}}",
                r.events().get(1).path("delta").toString());
        assertTrue(r.events().get(1).path("usage").path("output_tokens").asInt() > 0);
    }

    @Test
    void refused_anthropicWhole_emptyContentAndStopDetails() {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.ANTHROPIC, Path.TOOL, false);

        JsonNode body = r.events().getFirst();
        assertEquals(0, body.path("content").size());
        assertEquals("refusal", body.path("stop_reason").asText());
        assertEquals(REFUSAL, body.path("stop_details").path("explanation").asText());
    }

    @Test
    void refused_anthropicAfterText_textThenTheRefusal() {
        server.enqueue(FakeResponse.answer().text("Here is", " how to").refused(""));
        StructuredCall.Result r =
                StructuredCall.send(server, Api.ANTHROPIC, Path.NATIVE, PROMPT, ObjectAnswerTest.RECIPE, true, 4096);

        assertEquals("Here is how to", r.json());
        assertEquals("refusal", r.stop());
        assertTrue(r.events()
                .get(r.events().size() - 2)
                .path("delta")
                .path("stop_details")
                .path("explanation")
                .isNull());
    }

    @Test
    void refused_chatCompletionsStream_refusalDeltasAndFinishReasonStop() {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.CHAT, Path.NATIVE, true);

        JsonNode first = r.events().getFirst().path("choices").path(0).path("delta");
        assertEquals("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}", first.toString());
        assertEquals(REFUSAL, r.refusal());
        assertTrue(r.events().size() > 4, "the refusal in pieces");
        assertEquals("", r.json(), "no content");
        JsonNode last = r.events().get(r.events().size() - 2).path("choices").path(0);
        assertEquals("{}", last.path("delta").toString());
        assertEquals("stop", last.path("finish_reason").asText());
    }

    @Test
    void refused_chatCompletionsWhole_messageRefusalAndNullContent() {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.CHAT, Path.NATIVE, false);

        JsonNode message = r.events().getFirst().path("choices").path(0).path("message");
        assertTrue(message.path("content").isNull());
        assertEquals(REFUSAL, message.path("refusal").asText());
        assertEquals("stop", r.stop());
    }

    @Test
    void refused_responsesStream_refusalPartDeltasAndDone() {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.RESPONSES, Path.NATIVE, true);

        List<String> types = new ArrayList<>(r.types());
        types.removeIf(t -> t.equals("response.refusal.delta"));
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.refusal.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed"),
                types);
        assertTrue(r.types().stream()
                        .filter(t -> t.equals("response.refusal.delta"))
                        .count()
                >= 2);
        JsonNode added = r.events().get(3);
        assertEquals(
                "{\"type\":\"refusal\",\"refusal\":\"\"}", added.path("part").toString());
        JsonNode delta = r.events().get(4);
        assertEquals(
                List.of("type", "sequence_number", "item_id", "output_index", "content_index", "delta"), names(delta));
        assertEquals(REFUSAL, r.refusal());
        JsonNode done = r.events().get(r.types().indexOf("response.refusal.done"));
        assertEquals(REFUSAL, done.path("refusal").asText());
        JsonNode completed = r.events().getLast().path("response");
        assertEquals("completed", completed.path("status").asText());
        assertEquals(
                "{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}",
                completed.at("/output/0/content/0").toString());
    }

    @Test
    void refused_responsesWhole_aMessageWithARefusalPart() {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.RESPONSES, Path.NATIVE, false);

        assertEquals(REFUSAL, r.refusal());
        assertEquals("message", r.events().getFirst().at("/output/0/type").asText());
    }

    @ParameterizedTest(name = "stream {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void refused_gemini_aCandidateWithoutContentFinishReasonSafety(boolean stream) {
        StructuredCall.Result r = send(FakeResponse.object().refused(REFUSAL), Api.GEMINI, Path.NATIVE, stream);

        assertEquals(1, r.events().size(), "one chunk");
        JsonNode candidate = r.events().getFirst().path("candidates").path(0);
        assertFalse(candidate.has("content"));
        assertEquals("SAFETY", candidate.path("finishReason").asText());
        assertEquals(REFUSAL, candidate.path("finishMessage").asText());
        assertTrue(candidate.path("safetyRatings").path(0).path("blocked").asBoolean());
        assertTrue(r.events().getFirst().has("usageMetadata"));
    }

    @Test
    void object_withAFault_theFaultStrikesAmongTheJsonDeltas() {
        server.enqueue(FakeResponse.object().cutAfter(3));
        RawHttp.Response r;
        try (RawHttp http = new RawHttp(server)) {
            r = http.post(
                            "/v1/messages",
                            StructuredCall.body(
                                    Api.ANTHROPIC, Path.NATIVE, PROMPT, ObjectAnswerTest.RECIPE, true, 4096),
                            StructuredCall.headers(Api.ANTHROPIC))
                    .response();
        }
        assertFalse(r.complete(), "cut");
        assertEquals(
                3,
                FakeResponseAnswerTest.events(r).stream()
                        .filter(e -> e.type().equals("content_block_delta"))
                        .count());
    }

    @Test
    void object_scriptedUsage_reported() {
        StructuredCall.Result r = send(FakeResponse.object().usage(7, 99), Api.CHAT, Path.NATIVE, true);

        assertEquals(99, r.outputTokens());
    }

    @Test
    void object_requestWithoutStructuredOutput_jsonTextForThePrompt() {
        server.enqueue(FakeResponse.object());
        StructuredCall.Result r = StructuredCall.send(
                server,
                Api.ANTHROPIC,
                Path.NATIVE,
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Give me a recipe for pancakes\"}]}",
                true);

        assertEquals("pancakes", TestClient.parse(r.json()).path("answer").asText(), r.json());
    }

    @Test
    void scriptingMisuse_failsAtOnceNamingWhatFits() {
        assertThrows(IllegalStateException.class, () -> FakeResponse.answer().truncatedAfter(3));
        assertThrows(IllegalStateException.class, () -> FakeResponse.answer().invalidJson());
        assertThrows(
                IllegalStateException.class, () -> FakeResponse.object("{}").wrongTypeAt("/a"));
        assertThrows(
                IllegalStateException.class, () -> FakeResponse.overloaded().refused("no"));
        assertThrows(IllegalStateException.class, () -> FakeResponse.object().truncated());
        assertThrows(IllegalArgumentException.class, () -> FakeResponse.object().wrongTypeAt("a/b"));
        assertThrows(IllegalArgumentException.class, () -> FakeResponse.object().truncatedAfter(-1));
        assertThrows(NullPointerException.class, () -> FakeResponse.object((String) null));
        assertEquals(
                "FakeResponse[object(), truncated after 5 characters, wrong type at '/a']",
                FakeResponse.object().truncatedAfter(5).wrongTypeAt("/a").toString());
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
