package dev.sluice.springai;

/** {@link ToolCallingAdvisorSuite} in OpenAI's Responses API wire format. */
class OpenAiResponsesToolCallingAdvisorIT extends ToolCallingAdvisorSuite {
    OpenAiResponsesToolCallingAdvisorIT() {
        super(() -> over(openai.responses(), "gpt-4o-mini"));
    }
}
