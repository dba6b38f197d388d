package dev.sluice.objects;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.ObjectException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.GrowOnly;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.client.Failover;
import dev.sluice.objects.Partial.State;
import dev.sluice.objects.Recipes.Difficulty;
import dev.sluice.objects.Recipes.Ingredient;
import dev.sluice.objects.Recipes.Recipe;
import dev.sluice.stream.EndReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an object stream makes of a model's chunks (scripted, without a network; the loopback tests
 * cover the wire formats): partials that only grow, each value absent, streaming or complete;
 * numbers and enum names only once complete; elements once complete; the validated end, and each
 * way it can fail, with what arrived.
 */
class ObjectStreamTest {
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("m")
            .addMessage(ChatMessage.user("A recipe"))
            .build();

    private static ObjectStream<Recipe> recipe(ScriptedProvider p) {
        return ObjectStream.of(p, REQUEST, Recipe.class);
    }

    @Test
    void of_request_carriesTheSchemaAsAStrictResponseFormat() {
        ScriptedProvider p = new ScriptedProvider().text(Recipes.JSON).finish("end_turn");
        try (ObjectStream<Recipe> s = recipe(p)) {
            assertEquals(Recipes.RECIPE, s.result());
        }
        assertEquals(
                new ResponseFormat("Recipe", ObjectSchema.of(Recipe.class).schema(), true),
                p.requests.get(0).responseFormat());
        ChatRequest formatted = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("x"))
                .responseFormat(new ResponseFormat("other", Map.of("type", "object"), true))
                .build();
        assertThrows(IllegalArgumentException.class, () -> ObjectStream.of(p, formatted, Recipe.class));
    }

    @Test
    void partials_growCharacterByCharacter_eachExtendsTheOneBefore() {
        ScriptedProvider p =
                new ScriptedProvider().text(Recipes.pieces(Recipes.JSON, 1)).finish("end_turn");
        List<Partial<Recipe>> seen = new ArrayList<>();
        try (ObjectStream<Recipe> s = recipe(p)) {
            for (Partial<Recipe> partial : s) seen.add(partial);
            assertEquals(Recipes.RECIPE, s.result());
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
        }
        assertTrue(seen.size() > 50, seen.size() + " partials");
        for (int i = 1; i < seen.size(); i++) {
            assertNull(GrowOnly.mismatch(seen.get(i - 1).value(), seen.get(i).value(), true, null), "partial " + i);
            assertFalse(
                    seen.get(i).value().equals(seen.get(i - 1).value())
                            && states(seen.get(i)).equals(states(seen.get(i - 1))),
                    "partial " + i + " shows nothing new");
        }
        assertTrue(seen.getLast().isComplete());
    }

    /** {@return the state of every value the partial shows, by path} */
    private static Map<String, State> states(Partial<?> p) {
        Map<String, State> out = new java.util.TreeMap<>();
        collect(p, p.value(), "", out);
        return out;
    }

    private static void collect(Partial<?> p, Object node, String path, Map<String, State> out) {
        out.put(path, p.state(path));
        if (node instanceof Map<?, ?> m) m.forEach((k, v) -> collect(p, v, path + "/" + k, out));
        if (node instanceof List<?> l) for (int i = 0; i < l.size(); i++) collect(p, l.get(i), path + "/" + i, out);
    }

    /** {@return the partial of the stream that first shows this JSON text} */
    private static Partial<Recipe> after(String json, String prefix) {
        ScriptedProvider p = new ScriptedProvider()
                .text(prefix, json.substring(prefix.length()))
                .finish("end_turn");
        try (ObjectStream<Recipe> s = recipe(p)) {
            return s.iterator().next();
        }
    }

    @Test
    void partial_stringsGrowNumbersAndEnumsOnlyOnceComplete() {
        Partial<Recipe> p = after(Recipes.JSON, "{\"title\": \"Panc");
        assertEquals(Optional.of("Panc"), p.get("title", String.class));
        assertEquals(State.STREAMING, p.state("title"));
        assertEquals(State.STREAMING, p.state(""));
        assertEquals(State.ABSENT, p.state("minutes"));

        p = after(Recipes.JSON, "{\"title\": \"Pancakes\", \"minutes\": 2");
        assertEquals(State.COMPLETE, p.state("title"));
        assertEquals(State.ABSENT, p.state("minutes"), "12 may still become 120");
        assertEquals(Optional.empty(), p.get("minutes", Integer.class));

        p = after(Recipes.JSON, "{\"title\": \"Pancakes\", \"minutes\": 20,");
        assertEquals(Optional.of(20), p.get("minutes", Integer.class));
        assertEquals(Optional.of(20), p.get("/minutes", int.class));

        String upToEnum = Recipes.JSON.substring(0, Recipes.JSON.indexOf("\"EASY\"") + 3);
        p = after(Recipes.JSON, upToEnum);
        assertEquals(State.ABSENT, p.state("difficulty"), "\"EA\" is not a difficulty");
        assertFalse(((Map<?, ?>) p.value()).containsKey("difficulty"));
        p = after(Recipes.JSON, upToEnum + "SY\"");
        assertEquals(Optional.of(Difficulty.EASY), p.get("difficulty", Difficulty.class));
        assertEquals("EASY", ((Map<?, ?>) p.value()).get("difficulty"));
    }

    @Test
    void partial_arrays_listTheCompleteElementsOnly() {
        String upToMilk = Recipes.JSON.substring(0, Recipes.JSON.indexOf("\"milk\"") + 4);
        Partial<Recipe> p = after(Recipes.JSON, upToMilk);
        assertEquals(List.of(new Ingredient("flour", 200, "g")), p.list("ingredients", Ingredient.class));
        assertEquals(State.COMPLETE, p.state("ingredients/0"));
        assertEquals(State.STREAMING, p.state("ingredients/1"));
        assertEquals(State.STREAMING, p.state("ingredients/1/name"));
        assertEquals(Optional.of("mil"), p.get("ingredients/1/name", String.class));
        assertEquals(Optional.empty(), p.get("ingredients/1", Ingredient.class), "not complete");
        assertEquals(Optional.of(new Ingredient("flour", 200, "g")), p.get("ingredients/0", Ingredient.class));
        assertEquals(List.of(), p.list("steps", String.class));
        assertEquals(State.ABSENT, p.state("ingredients/2"));

        String upToSecondStep = Recipes.JSON.substring(0, Recipes.JSON.indexOf("\"Fry") + 4);
        p = after(Recipes.JSON, upToSecondStep);
        assertEquals(List.of("Whisk everything."), p.list("steps", String.class));
        assertEquals(Optional.of("Fry"), p.get("steps/1", String.class));
        CharSequence view = p.get("steps/1", CharSequence.class).orElseThrow();
        assertEquals("Fry", view.toString());
    }

    @Test
    void partial_pathOrTypeTheRecordHasNot_isRefusedAtOnce() {
        Partial<Recipe> p = after(Recipes.JSON, "{\"ti");
        assertEquals(
                "path titel: Recipe has no component titel (it has title, minutes, ingredients, steps, difficulty, tip)",
                assertThrows(IllegalArgumentException.class, () -> p.get("titel", String.class))
                        .getMessage());
        assertEquals(
                "path minutes: a int, which cannot be read as String",
                assertThrows(IllegalArgumentException.class, () -> p.get("minutes", String.class))
                        .getMessage());
        assertEquals(
                "path title: a String, not a list, set, array or map",
                assertThrows(IllegalArgumentException.class, () -> p.list("title", String.class))
                        .getMessage());
        assertEquals(
                "path steps/first: Recipe.steps is a List<String>, whose elements are named by index, not first",
                assertThrows(IllegalArgumentException.class, () -> p.state("steps/first"))
                        .getMessage());
        assertEquals(Optional.empty(), p.get("tip", String.class));
        assertEquals(State.ABSENT, p.state("tip"));
    }

    @Test
    void partial_askedForTheSameListAgain_bindsEachElementOnce() {
        StringBuilder json = new StringBuilder("{\"title\": \"t\", \"minutes\": 1, \"ingredients\": [");
        for (int i = 0; i < 50; i++)
            json.append(i == 0 ? "" : ", ")
                    .append("{\"name\": \"n")
                    .append(i)
                    .append("\", \"quantity\": 1, \"unit\": \"g\"}");
        json.append("], \"steps\": [], \"difficulty\": \"HARD\", \"tip\": \"x\"}");
        ScriptedProvider p =
                new ScriptedProvider().text(Recipes.pieces(json.toString(), 7)).finish("end_turn");
        List<Ingredient> previous = List.of();
        try (ObjectStream<Recipe> s = recipe(p)) {
            for (Partial<Recipe> partial : s) {
                List<Ingredient> now = partial.list("ingredients", Ingredient.class);
                assertTrue(now.size() >= previous.size());
                for (int i = 0; i < previous.size(); i++)
                    assertSame(previous.get(i), now.get(i), "element " + i + " bound again");
                previous = now;
            }
            assertEquals(50, previous.size());
            assertEquals(Optional.of("x"), s.result().tip());
        }
    }

    @Test
    void elements_handOutEachIngredientOnceComplete() {
        ScriptedProvider p =
                new ScriptedProvider().text(Recipes.pieces(Recipes.JSON, 5)).finish("end_turn");
        try (ObjectStream<Recipe> s = recipe(p)) {
            List<Element<Ingredient>> got = new ArrayList<>();
            for (Element<Ingredient> e : s.elements("ingredients", Ingredient.class)) {
                got.add(e);
                if (e.index() == 0)
                    assertEquals(State.STREAMING, s.latest().state("ingredients"), "handed out while the list streams");
            }
            assertEquals(
                    List.of(
                            new Element<>(0, new Ingredient("flour", 200, "g"), 0),
                            new Element<>(1, new Ingredient("milk", 0.3, "l"), 0)),
                    got);
            assertEquals(Recipes.RECIPE, s.result());
            assertThrows(IllegalStateException.class, s::iterator);
        }
    }

    @Test
    void toolPath_argumentsOfTheCallNamedAfterTheSchema_areTheObject() {
        ScriptedProvider p = new ScriptedProvider()
                .tool("Recipe", Recipes.pieces(Recipes.JSON, 9))
                .finish("tool_use");
        try (ObjectStream<Recipe> s = recipe(p)) {
            int partials = 0;
            for (Partial<Recipe> ignored : s) partials++;
            assertTrue(partials > 10);
            assertEquals(Recipes.RECIPE, s.result());
        }
    }

    @Test
    void failoverRestart_resetsThePartial_continuationKeepsIt() {
        String half = Recipes.JSON.substring(0, 60);
        ScriptedProvider restart = new ScriptedProvider()
                .text(half)
                .failover(Failover.Mode.RESTART)
                .text(Recipes.pieces(Recipes.JSON, 40))
                .finish("end_turn");
        try (ObjectStream<Recipe> s = recipe(restart)) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            s.forEach(seen::add);
            Partial<Recipe> reset =
                    seen.stream().filter(Partial::isReset).findFirst().orElseThrow();
            assertNull(reset.value());
            assertEquals(1, reset.attempt());
            assertEquals(0, seen.get(0).attempt());
            assertEquals(1, seen.getLast().attempt());
            assertEquals(Recipes.RECIPE, s.result());
        }
        ScriptedProvider continued = new ScriptedProvider()
                .text(half)
                .failover(Failover.Mode.CONTINUE)
                .text(Recipes.JSON.substring(60))
                .finish("end_turn");
        try (ObjectStream<Recipe> s = recipe(continued)) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            s.forEach(seen::add);
            assertTrue(seen.stream().noneMatch(Partial::isReset));
            assertEquals(Recipes.RECIPE, s.result());
        }
    }

    private static ObjectException failure(ScriptedProvider p, ObjectException.Kind kind) {
        try (ObjectStream<Recipe> s = recipe(p)) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            ObjectException e = assertThrows(ObjectException.class, () -> {
                for (Partial<Recipe> partial : s) seen.add(partial);
            });
            assertEquals(kind, e.kind(), e.getMessage());
            assertSame(e, assertThrows(ObjectException.class, s::result), "result() throws the same failure");
            assertSame(e, s.failure().orElseThrow());
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
            if (!seen.isEmpty()) assertSame(seen.getLast(), e.partial().orElseThrow(), "the last partial is attached");
            return e;
        }
    }

    @Test
    void end_truncated_refused_invalid_mismatch_eachAnObjectExceptionWithWhatArrived() {
        String cut = Recipes.JSON.substring(0, 100);
        ObjectException truncated =
                failure(new ScriptedProvider().text(cut).finish("max_tokens"), ObjectException.Kind.TRUNCATED);
        assertEquals(cut, truncated.text());
        assertTrue(truncated
                .getMessage()
                .startsWith("the object was cut off by the output token limit (finish reason max_tokens)"));
        Partial<?> last = assertInstanceOf(Partial.class, truncated.partial().orElseThrow());
        assertEquals(Optional.of("Pancakes"), last.get("title", String.class));

        assertEquals(
                "the model did not produce the object: it refused (finish reason refusal)",
                failure(new ScriptedProvider().text("{\"ti").finish("refusal"), ObjectException.Kind.REFUSED)
                        .getMessage());
        ObjectException invalid =
                failure(new ScriptedProvider().text(cut, "}}").finish("end_turn"), ObjectException.Kind.INVALID_JSON);
        assertTrue(invalid.getMessage().startsWith("the answer is not valid JSON: "), invalid.getMessage());
        assertTrue(failure(
                        new ScriptedProvider()
                                .text("I cannot write JSON today.")
                                .finish("end_turn"),
                        ObjectException.Kind.INVALID_JSON)
                .getMessage()
                .startsWith("the answer is not valid JSON: unexpected character 'I' at offset 0"));
        assertEquals(
                "the answer holds no JSON: no text, and no call of the tool Recipe (finish reason end_turn)",
                failure(new ScriptedProvider().finish("end_turn"), ObjectException.Kind.INVALID_JSON)
                        .getMessage());
        ObjectException mismatch = failure(
                new ScriptedProvider()
                        .text(Recipes.JSON.replace("\"minutes\": 20", "\"minutes\": \"ten\""))
                        .finish("end_turn"),
                ObjectException.Kind.SCHEMA_MISMATCH);
        assertEquals("/minutes: expected integer, got \"ten\"", mismatch.getMessage());
    }

    @Test
    void streamFailure_isThrownAsItIs_withThePartialWhereNoneWasAttached() {
        dev.sluice.ProtocolException cause = new dev.sluice.ProtocolException("malformed JSON in an event", null);
        try (ObjectStream<Recipe> s = recipe(
                new ScriptedProvider().text(Recipes.JSON.substring(0, 30)).failing(cause))) {
            List<Partial<Recipe>> seen = new ArrayList<>();
            dev.sluice.ProtocolException e =
                    assertThrows(dev.sluice.ProtocolException.class, () -> s.forEach(seen::add));
            assertSame(cause, e);
            assertSame(seen.getLast(), e.partial().orElseThrow());
            assertSame(e, assertThrows(dev.sluice.ProtocolException.class, s::result));
            assertEquals(Optional.of("Pancakes"), s.latest().get("title", String.class));
        }
    }

    @Test
    void end_completeObjectAtTheTokenLimit_passes() {
        try (ObjectStream<Recipe> s =
                recipe(new ScriptedProvider().text(Recipes.JSON).finish("max_tokens"))) {
            assertEquals(Recipes.RECIPE, s.result());
        }
    }

    @Test
    void end_streamWithoutFinishReason_isIncomplete() {
        try (ObjectStream<Recipe> s = recipe(new ScriptedProvider().text(Recipes.JSON))) {
            assertThrows(IncompleteStreamException.class, s::result);
            assertEquals(
                    EndReason.FAILED, s.endReason().orElseThrow(), "the model's stream completed, the object did not");
        }
    }

    @Test
    void close_beforeTheEnd_endsIterationAndResultSaysIncomplete() {
        try (ObjectStream<Recipe> s = recipe(
                new ScriptedProvider().text(Recipes.pieces(Recipes.JSON, 3)).finish("end_turn"))) {
            var it = s.iterator();
            assertTrue(it.hasNext());
            Partial<Recipe> first = it.next();
            s.close();
            while (it.hasNext()) it.next();
            IncompleteStreamException e = assertThrows(IncompleteStreamException.class, s::result);
            assertTrue(
                    e.getMessage()
                            .startsWith("the object stream was cancelled (closed) before the object was complete"),
                    e.getMessage());
            assertNotNullPartial(e, first);
        }
    }

    @Test
    void cancel_whileTheModelKeepsWriting_noPartialIsMadeAfter() {
        // The relay cancels the stream's controller when its client leaves: what the model sent after
        // that, buffered or not, must not cost a partial each (a schema walk, a view of the value).
        String[] pieces = new String[2_001];
        pieces[0] = "{\"title\": \"";
        java.util.Arrays.fill(pieces, 1, pieces.length, "x");
        try (ObjectStream<Recipe> s = recipe(new ScriptedProvider().text(pieces).finish("end_turn"))) {
            var it = s.iterator();
            for (int i = 0; i < 3; i++) it.next();
            s.controller().cancel("client left");
            int after = 0;
            while (it.hasNext()) {
                it.next();
                after++;
            }
            assertEquals(0, after, "partials made after the cancel");
            assertTrue(s.latest().json().length() < 100, s.latest().json().length() + " characters read");
            assertThrows(IncompleteStreamException.class, s::result);
        }
    }

    @Test
    void cancel_afterTheModelsStreamEndedButBeforeItsEndWasTaken_endsAsACancelNotAsAnIncompleteStream() {
        // `sluice object --partials ... | head`: the reader leaves after a partial; the model's stream has
        // already ended (its finish reason queued), and the cancel drops what was not taken. The
        // iteration ends quietly and result() says cancelled (it said "ended without saying why the
        // model stopped", a failure the caller did not cause, whenever the stream had ended first).
        try (ObjectStream<Recipe> s = recipe(new ScriptedProvider()
                .text("{\"title\": \"Soup\", ", "\"minutes\": 20, ", "\"ingredients\": []}")
                .finish("end_turn"))) {
            var it = s.iterator();
            it.next();
            await().atMost(Duration.ofSeconds(10)).until(() -> s.endReason().isPresent());
            assertEquals(Optional.of(EndReason.COMPLETED), s.endReason(), "the model's stream ended first");
            s.controller().cancel("stdout was closed");
            while (it.hasNext()) it.next();
            assertEquals(Optional.of(EndReason.CANCELLED), s.endReason(), "the end its consumer saw");
            IncompleteStreamException e = assertThrows(IncompleteStreamException.class, s::result);
            assertTrue(
                    e.getMessage().startsWith("the object stream was cancelled (stdout was closed)"), e.getMessage());
        }
    }

    private static void assertNotNullPartial(IncompleteStreamException e, Partial<Recipe> first) {
        Partial<?> p = assertInstanceOf(Partial.class, e.partial().orElseThrow());
        assertTrue(p.json().length() >= first.json().length());
    }

    @Test
    void jsonSchemaGiven_partialsAreTheValueModel() {
        ObjectSchema<Map<String, Object>> schema = ObjectSchema.parse(
                "lead",
                "{\"type\": \"object\", \"properties\": {"
                        + "\"name\": {\"type\": \"string\"}, \"stage\": {\"enum\": [\"new\", \"won\"]}}, \"required\": [\"name\", \"stage\"]}");
        ScriptedProvider p = new ScriptedProvider()
                .text("{\"name\": \"Ada\", \"stage\": \"w", "on\"}")
                .finish("end_turn");
        try (ObjectStream<Map<String, Object>> s = ObjectStream.of(p, REQUEST, schema)) {
            var it = s.iterator();
            Partial<Map<String, Object>> first = it.next();
            assertEquals(Map.of("name", "Ada"), first.value(), "the enum's prefix is held back");
            assertEquals(Optional.of("Ada"), first.get("name", String.class));
            assertEquals(Map.of("name", "Ada", "stage", "won"), s.result());
        }
    }

    /** A generic record asked for raw: its component's type is the variable T, which names no class. */
    record Boxed<T>(T item) {}

    @Test
    void get_jsonSchemaAndATypeWithNothingToBindWith_throwsIllegalArgument() {
        ObjectSchema<Map<String, Object>> schema = ObjectSchema.parse("any", "{\"type\": \"object\"}");
        ScriptedProvider p = new ScriptedProvider()
                .text("{\"name\": \"Ada\", \"box\": {\"item\": \"x\"}}")
                .finish("end_turn");
        try (ObjectStream<Map<String, Object>> s = ObjectStream.of(p, REQUEST, schema)) {
            s.result();
            Partial<Map<String, Object>> last = s.latest();
            IllegalArgumentException raw =
                    assertThrows(IllegalArgumentException.class, () -> last.get("name", Optional.class));
            assertTrue(raw.getMessage().contains("raw Optional"), raw.getMessage());
            IllegalArgumentException variable =
                    assertThrows(IllegalArgumentException.class, () -> last.get("box", Boxed.class));
            assertTrue(variable.getMessage().startsWith("T names no class"), variable.getMessage());
            assertEquals(Optional.empty(), last.get("absent", Optional.class), "nothing there: nothing to bind");
        }
    }

    @Test
    void latest_fromAnotherThread_isTheLastPartialRead() throws Exception {
        try (ObjectStream<Recipe> s = recipe(
                new ScriptedProvider().text(Recipes.pieces(Recipes.JSON, 10)).finish("end_turn"))) {
            assertNull(s.latest().value());
            assertEquals(State.ABSENT, s.latest().state("title"));
            Partial<Recipe> first = s.iterator().next();
            Thread reader = Thread.ofVirtual().start(() -> assertSame(first, s.latest()));
            reader.join();
            s.result();
            assertTrue(s.latest().isComplete());
        }
    }
}
