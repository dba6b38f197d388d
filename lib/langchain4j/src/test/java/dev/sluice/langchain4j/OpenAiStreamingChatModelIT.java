package dev.sluice.langchain4j;

/** LangChain4j's streaming suite on Sluice's OpenAI Chat Completions client. */
class OpenAiStreamingChatModelIT extends StreamingSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.OPENAI_CHAT_COMPLETIONS;
    }
}
