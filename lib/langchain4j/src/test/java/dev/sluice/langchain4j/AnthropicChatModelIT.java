package dev.sluice.langchain4j;

/** LangChain4j's chat model suite on Sluice's Anthropic client. */
class AnthropicChatModelIT extends ChatSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.ANTHROPIC;
    }
}
