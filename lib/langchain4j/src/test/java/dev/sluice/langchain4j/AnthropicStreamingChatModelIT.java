package dev.sluice.langchain4j;

/** LangChain4j's streaming suite on Sluice's Anthropic client. */
class AnthropicStreamingChatModelIT extends StreamingSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.ANTHROPIC;
    }
}
