package dev.sluice.springai;

/** {@link ToolCallingAdvisorSuite} in OpenAI's Chat Completions wire format. */
class OpenAiToolCallingAdvisorIT extends ToolCallingAdvisorSuite {
    OpenAiToolCallingAdvisorIT() {
        super(() -> over(openai, "gpt-4o-mini"));
    }
}
