package dev.sluice.langchain4j;

/** LangChain4j's chat model suite on Sluice's Amazon Bedrock client (the Converse API), against the test kit's fake Bedrock. */
class BedrockChatModelIT extends ChatSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.BEDROCK_CONVERSE;
    }
}
