package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.openai.ChatCompletion.FunctionToolCall;
import dev.sluice.sse.SseEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCompletionAccumulatorTest {
    private final ChatCompletionAccumulator acc = new ChatCompletionAccumulator();

    private void accept(String data) {
        acc.accept(OpenAiStreamDecoding.decode(SseEvent.of(data)));
    }

    private static String call(int choice, int index, String id, String name, String arguments) {
        String head = id == null ? "" : "\"id\":\"" + id + "\",\"type\":\"function\",";
        String fn = (name == null ? "" : "\"name\":\"" + name + "\",") + "\"arguments\":" + quote(arguments);
        return "{\"id\":\"c\",\"choices\":[{\"index\":" + choice + ",\"delta\":{\"tool_calls\":[{\"index\":" + index
                + "," + head + "\"function\":{" + fn + "}}]}}]}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void snapshot_whileArgumentsStream_showsGrowingBestEffortValue() {
        accept(call(0, 0, "call_1", "get_weather", ""));
        accept(call(0, 0, null, null, "{\"location\": \"San Fr"));
        FunctionToolCall partial =
                acc.snapshot().choices().getFirst().message().toolCalls().getFirst();
        assertEquals(Map.of("location", "San Fr"), partial.parsedArguments());
        assertNull(partial.argumentsError());
        accept(call(0, 0, null, null, "ancisco\"}"));
        acc.accept(new DoneEvent());
        FunctionToolCall done =
                acc.result().choices().getFirst().message().toolCalls().getFirst();
        assertEquals(Map.of("location", "San Francisco"), done.parsedArguments());
        assertEquals("call_1", done.id());
        assertEquals("get_weather", done.name());
        assertEquals("function", done.type());
        assertNull(done.argumentsError());
    }

    @Test
    void snapshot_argumentsNotAnObjectYet_showAnEmptyObjectThatOnlyGrows() {
        // found by ChatCompletionStreamFuzzTest: the empty arguments' {} became null once text that
        // is not an object arrived, so a streamed value shrank
        accept(call(0, 0, "call_1", "get_weather", ""));
        assertEquals(
                Map.of(),
                acc.snapshot()
                        .choices()
                        .getFirst()
                        .message()
                        .toolCalls()
                        .getFirst()
                        .parsedArguments());
        accept(call(0, 0, null, null, "is, France\""));
        assertEquals(
                Map.of(),
                acc.snapshot()
                        .choices()
                        .getFirst()
                        .message()
                        .toolCalls()
                        .getFirst()
                        .parsedArguments());
        accept(call(0, 0, null, null, "[1, "));
        assertEquals(
                Map.of(),
                acc.snapshot()
                        .choices()
                        .getFirst()
                        .message()
                        .toolCalls()
                        .getFirst()
                        .parsedArguments());
        acc.accept(new DoneEvent());
        FunctionToolCall done =
                acc.result().choices().getFirst().message().toolCalls().getFirst();
        assertNull(done.parsedArguments(), "the result guesses no value from a malformed text");
        assertEquals("is, France\"[1, ", done.arguments());
    }

    @Test
    void result_invalidArguments_reportedOnTheCall() {
        accept(call(0, 0, "call_1", "f", "{\"a\": tru}"));
        FunctionToolCall partial =
                acc.snapshot().choices().getFirst().message().toolCalls().getFirst();
        assertNull(partial.argumentsError(), "no error while streaming");
        acc.accept(new DoneEvent());
        FunctionToolCall c =
                acc.result().choices().getFirst().message().toolCalls().getFirst();
        assertNotNull(c.argumentsError());
        assertTrue(c.argumentsError().startsWith("tool call arguments are not valid JSON"), c.argumentsError());
        assertEquals("{\"a\": tru}", c.arguments());
    }

    @Test
    void result_argumentsNotAnObject_reported() {
        accept(call(0, 0, "call_1", "f", "[1, 2]"));
        acc.accept(new DoneEvent());
        FunctionToolCall c =
                acc.result().choices().getFirst().message().toolCalls().getFirst();
        assertTrue(c.argumentsError().contains("not a JSON object"), c.argumentsError());
    }

    @Test
    void accept_toolCallsOfSeveralChoicesAndIndexes_keptApartInOrder() {
        accept(call(1, 1, "call_b", "g", "{\"y\":"));
        accept(call(0, 0, "call_a", "f", "{\"x\":1}"));
        accept(call(1, 0, "call_c", "h", "{}"));
        accept(call(1, 1, null, null, "2}"));
        acc.accept(new DoneEvent());
        ChatCompletion c = acc.result();
        assertEquals(
                List.of(0, 1),
                c.choices().stream().map(ChatCompletion.Choice::index).toList());
        assertEquals(
                List.of("call_a"),
                c.choices().get(0).message().toolCalls().stream()
                        .map(FunctionToolCall::id)
                        .toList());
        List<FunctionToolCall> second = c.choices().get(1).message().toolCalls();
        assertEquals(
                List.of("call_c", "call_b"),
                second.stream().map(FunctionToolCall::id).toList());
        assertEquals(Map.of("y", 2L), second.get(1).parsedArguments());
        assertNull(c.choices().get(1).message().content(), "no content arrived");
    }

    @Test
    void accept_refusalAndFinishReason_accumulated() {
        accept("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"refusal\":\"I can't\"}}]}");
        accept(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\" help with that.\"},\"finish_reason\":\"stop\"}]}");
        acc.accept(new DoneEvent());
        ChatCompletion.Choice choice = acc.result().choices().getFirst();
        assertEquals("I can't help with that.", choice.message().refusal());
        assertEquals("stop", choice.finishReason());
    }

    @Test
    void result_calledTwice_sameCompletionAndNoMoreEvents() {
        accept("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
        acc.accept(new DoneEvent());
        assertEquals(acc.result(), acc.result());
        assertThrows(IllegalStateException.class, () -> accept("{\"id\":\"c\",\"choices\":[]}"));
    }

    @Test
    void result_beforeDone_notCompleteAndIllegalState() {
        accept("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
        assertFalse(acc.isComplete());
        assertTrue(assertThrows(IllegalStateException.class, acc::result)
                .getMessage()
                .contains("snapshot()"));
        acc.accept(new DoneEvent());
        assertTrue(acc.isComplete());
    }

    @Test
    void accept_unknownAndDoneEvents_changeNothing() {
        ChatCompletion before = acc.snapshot();
        acc.accept(new UnknownChatCompletionEvent("ping", "{}"));
        acc.accept(new DoneEvent());
        assertEquals(before, acc.snapshot());
    }
}
