package dev.sluice.examples;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;

/** README task 4: every failure is one typed exception, with what arrived before it. */
public final class HandleErrors {
    private HandleErrors() {}

    public static void main(String[] args) {
        try (ExampleClient example = ExampleClient.open()) {
            System.out.println(run(example.client(), "fake-error-mid-stream"));
        }
    }

    /** {@return what happened, in a line} {@code model} names a fault on the fake server, or a real model. */
    static String run(AnthropicClient client, String model) {
        MessageRequest request = MessageRequest.builder()
                .model(model)
                .maxTokens(1024)
                .addUserMessage("Tell me about tides.")
                .build();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.text().forEach(System.out::print);
            return "done";
        } catch (ApiException e) { // the API said no, after the retries
            return "API error " + e.statusCode() + " " + e.errorType() + ": " + e.errorMessage();
        } catch (StreamTimeoutException e) { // first-event, idle or total timeout
            return e.timeout() + " timeout: " + e.getMessage();
        } catch (SluiceException e) { // anything else: one sealed family
            String partial = e.partial(Message.class).map(Message::text).orElse("");
            return "failed after " + partial.length() + " characters (request "
                    + e.requestId().orElse("unknown") + "): " + e.getMessage();
        }
    }
}
