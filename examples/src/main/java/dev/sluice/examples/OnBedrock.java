package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.aws.AwsAccess;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;

/**
 * The Amazon Bedrock examples of docs/clouds.md: any Bedrock model through the Converse API
 * ({@code --provider bedrock}), and Claude's Messages API through Bedrock
 * ({@code --provider bedrock-anthropic}), both from an {@link AwsAccess} read as the AWS SDK reads
 * the environment. {@code OnBedrockTest} runs them against the test kit's fake Bedrock.
 */
final class OnBedrock {
    private OnBedrock() {}

    /** Any Bedrock model, through the Converse API. */
    static String converse(AwsAccess aws) {
        StringBuilder out = new StringBuilder();
        try (BedrockClient bedrock = BedrockClient.builder().access(aws).build();
                EventStream<MessageChunk> chunks = bedrock.stream(ChatRequest.builder()
                        .model("us.amazon.nova-pro-v1:0")
                        .addMessage(ChatMessage.user("Why is the sky blue?"))
                        .maxTokens(512)
                        .build())) {
            for (MessageChunk c : chunks) out.append(c.text());
        }
        return out.toString();
    }

    /** Claude, with Anthropic's own events (thinking, tool use, caching), through Bedrock. */
    static String claude(AwsAccess aws) {
        StringBuilder out = new StringBuilder();
        try (AnthropicClient claude = AnthropicClient.builder().bedrock(aws).build();
                MessageStream stream = claude.messages().stream(MessageRequest.builder()
                        .model("us.anthropic.claude-sonnet-5-5")
                        .maxTokens(1024)
                        .addUserMessage("Why is the sky blue?")
                        .build())) {
            stream.text().forEach(out::append);
        }
        return out.toString();
    }

    /** Both, as the environment configures them (AWS_REGION, AWS_PROFILE, AWS_BEARER_TOKEN_BEDROCK, ...). */
    public static void main(String[] args) {
        AwsAccess aws = AwsAccess.fromEnv();
        System.out.println(converse(aws));
        System.out.println(claude(aws));
    }
}
