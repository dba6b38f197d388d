package dev.sluice.langchain4j;

/** LangChain4j's streaming suite on Sluice's Amazon Bedrock client (the Converse API), against the test kit's fake Bedrock. */
class BedrockStreamingChatModelIT extends StreamingSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.BEDROCK_CONVERSE;
    }
}
