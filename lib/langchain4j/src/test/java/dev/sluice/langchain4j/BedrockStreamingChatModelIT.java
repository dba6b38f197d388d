package dev.sluice.langchain4j;

/** LangChain4j's streaming suite on Sluice's Amazon Bedrock client (the Converse API), against the test kit's fake Bedrock. */
class BedrockStreamingChatModelIT extends StreamingSuite {
    @Override
    SuiteTargets target() {
        return SuiteTargets.BEDROCK_CONVERSE;
    }

    @Override
    protected boolean supportsSingleImageInputAsPublicURL() {
        return false; // Converse takes an image as its bytes only
    }

    @Override
    protected boolean assertExceptionType() {
        // the refusal of an image by URL comes from Sluice's Bedrock client (IllegalArgumentException naming it),
        // not from the adapter as UnsupportedFeatureException: the suite still checks that it fails
        return false;
    }
}
