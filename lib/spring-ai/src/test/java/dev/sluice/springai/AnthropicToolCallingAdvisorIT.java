package dev.sluice.springai;

/** {@link ToolCallingAdvisorSuite} in the Anthropic Messages API's wire format. */
class AnthropicToolCallingAdvisorIT extends ToolCallingAdvisorSuite {
    AnthropicToolCallingAdvisorIT() {
        super(() -> over(anthropic, "claude-sonnet-4-5"));
    }
}
