package dev.sluice.springai;

/** {@link ToolCallingAdvisorSuite} in Amazon Bedrock's Converse wire format (the test kit's fake Bedrock). */
class BedrockToolCallingAdvisorIT extends ToolCallingAdvisorSuite {
    BedrockToolCallingAdvisorIT() {
        super(() -> over(bedrock, "us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    }
}
