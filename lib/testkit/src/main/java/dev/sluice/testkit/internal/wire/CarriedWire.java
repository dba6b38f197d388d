package dev.sluice.testkit.internal.wire;

import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Turn;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A wire that carries another API's requests and answers: a cloud's route to Anthropic's, Gemini's
 * or OpenAI's API (Bedrock, Vertex AI, Azure). What it reads of a request body (tools, turns, tool
 * choice, output format) and the whole message it answers are the carried API's; the route, the
 * checks, the errors and the framing stay the cloud's own.
 */
public interface CarriedWire extends WireFormat {
    /** {@return the wire of the API carried} */
    WireFormat carried();

    @Override
    default List<FakeRequest.Tool> tools(JsonNode body) {
        return carried().tools(body);
    }

    @Override
    default List<Turn> turns(JsonNode body) {
        return carried().turns(body);
    }

    @Override
    default FakeRequest.ToolChoice toolChoice(JsonNode body) {
        return carried().toolChoice(body);
    }

    @Override
    default FakeRequest.@Nullable Output format(JsonNode body) {
        return carried().format(body);
    }

    @Override
    default String message(Reply reply) {
        return carried().message(reply);
    }
}
