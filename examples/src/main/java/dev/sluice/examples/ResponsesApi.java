package dev.sluice.examples;

import dev.sluice.IncompleteStreamException;
import dev.sluice.TransportException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.openai.Response;
import dev.sluice.openai.ResponseRequest;
import dev.sluice.openai.ResponseStream;
import dev.sluice.openai.ResponseStreamEvent;
import dev.sluice.testkit.FakeLlmServer;
import java.io.PrintStream;

/**
 * OpenAI's Responses API: typed events with their sequence numbers, the final response, a
 * background response resumed after a cut without a gap, and the provider-neutral view. Runs
 * against the embedded fake server.
 */
public final class ResponsesApi {
    static final String MODEL = "gpt-6.1-terra";

    private ResponsesApi() {}

    public static void main(String[] args) {
        try (FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(70).start();
                OpenAiClient client = OpenAiClient.builder()
                        .apiKey("fake")
                        .baseUrl(fake.baseUrl().toString())
                        .build()) {
            System.out.println("\n" + events(client, System.out).status());
            System.out.println("\n" + resumable(client, System.out).usage());
            System.out.println("\n" + neutral(client).finishReason());
        }
    }

    /** Prints the text as it arrives, and each lifecycle event; {@return the final response} */
    public static Response events(OpenAiClient client, PrintStream out) {
        ResponseRequest request = ResponseRequest.builder()
                .model(MODEL)
                .instructions("Be brief.")
                .addUserMessage("Tell me about tides")
                .build();
        try (ResponseStream stream = client.responses().stream(request)) {
            for (ResponseStreamEvent event : stream) {
                switch (event) {
                    case ResponseStreamEvent.OutputTextDelta d -> out.print(d.delta());
                    case ResponseStreamEvent.Lifecycle l -> out.print("[" + l.type() + " #" + l.sequenceNumber() + "]");
                    default -> {} // items, parts, arguments, summaries, event types added later
                }
            }
            return stream.result();
        }
    }

    /**
     * A background response: when the connection is lost, the rest is read again from the last
     * sequence number received, and the response comes out whole. {@return the final response}
     */
    public static Response resumable(OpenAiClient client, PrintStream out) {
        ResponseRequest request = ResponseRequest.builder()
                .model(MODEL)
                .addUserMessage("Tell me about tides")
                .background(true)
                .store(true)
                .build();
        ResponseStream stream = client.responses().stream(request);
        try {
            stream.text().forEach(out::print);
            return stream.result();
        } catch (IncompleteStreamException | TransportException cut) {
            try (ResponseStream rest = client.responses().resume(stream)) { // GET ...?stream=true&starting_after=N
                rest.text().forEach(out::print);
                return rest.result(); // the whole response
            }
        } finally {
            stream.close();
        }
    }

    /** The Responses API as a provider-neutral {@link dev.sluice.chat.ChatProvider}; {@return the response} */
    public static ChatResponse neutral(OpenAiClient client) {
        return client.responses()
                .chat(ChatRequest.builder()
                        .model(MODEL)
                        .addMessage(ChatMessage.user("Tell me about tides"))
                        .build());
    }
}
