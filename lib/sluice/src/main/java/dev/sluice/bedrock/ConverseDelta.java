package dev.sluice.bedrock;

import java.util.Objects;

/**
 * The piece a {@link ConverseEvent.ContentBlockDelta} carries: the one member of Bedrock's
 * {@code delta} union that was set. A member this version does not know is {@link UnknownDelta},
 * never an error.
 */
public sealed interface ConverseDelta
        permits ConverseDelta.TextDelta,
                ConverseDelta.ToolUseDelta,
                ConverseDelta.ReasoningTextDelta,
                ConverseDelta.ReasoningSignatureDelta,
                ConverseDelta.RedactedReasoningDelta,
                ConverseDelta.CitationDelta,
                ConverseDelta.UnknownDelta {

    /**
     * More of the answer.
     *
     * @param text {@code text}: more of the answer
     */
    record TextDelta(String text) implements ConverseDelta {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The next fragment of a tool call's input.
     *
     * @param input {@code toolUse.input}: the next fragment of the tool call's input JSON text
     */
    record ToolUseDelta(String input) implements ConverseDelta {
        public ToolUseDelta {
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * More of the model's reasoning.
     *
     * @param text {@code reasoningContent.text}: more of the model's reasoning
     */
    record ReasoningTextDelta(String text) implements ConverseDelta {
        public ReasoningTextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The signature of a reasoning block.
     *
     * @param signature {@code reasoningContent.signature}: the reasoning block's signature, opaque, to be sent back verbatim
     */
    record ReasoningSignatureDelta(String signature) implements ConverseDelta {
        public ReasoningSignatureDelta {
            Objects.requireNonNull(signature, "signature");
        }
    }

    /**
     * Encrypted reasoning.
     *
     * @param data {@code reasoningContent.redactedContent}: encrypted reasoning, base64 as it came, to be sent back verbatim
     */
    record RedactedReasoningDelta(String data) implements ConverseDelta {
        public RedactedReasoningDelta {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A citation of a document.
     *
     * @param json {@code citation}: a citation of a document, as JSON text
     */
    record CitationDelta(String json) implements ConverseDelta {
        public CitationDelta {
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * A delta of a kind this version does not know.
     *
     * @param type its member name in the {@code delta} object (empty when it had none)
     * @param json the whole {@code delta} object as text
     */
    record UnknownDelta(String type, String json) implements ConverseDelta {
        public UnknownDelta {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(json, "json");
        }
    }
}
