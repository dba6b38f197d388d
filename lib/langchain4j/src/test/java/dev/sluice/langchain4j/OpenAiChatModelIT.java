package dev.sluice.langchain4j;

/** LangChain4j's chat model suite on Sluice's OpenAI Chat Completions client. */
class OpenAiChatModelIT extends ChatSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.OPENAI_CHAT_COMPLETIONS;
    }
}
