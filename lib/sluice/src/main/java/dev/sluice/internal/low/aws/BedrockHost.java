package dev.sluice.internal.low.aws;

/**
 * Amazon Bedrock's two inference hosts, each with its endpoint variable, its regional endpoint and
 * the service name requests to it are signed for
 * (<a href="https://docs.aws.amazon.com/bedrock/latest/userguide/endpoints.html">Endpoints supported by
 * Amazon Bedrock</a>): {@code bedrock-runtime} (Converse, InvokeModel, and OpenAI's Chat Completions and
 * Responses under {@code /openai/v1}) and {@code bedrock-mantle} (OpenAI's APIs under {@code /v1} or
 * {@code /openai/v1}, Anthropic's Messages under {@code /anthropic/v1/messages}).
 */
public enum BedrockHost {
    /** {@code bedrock-runtime.REGION.amazonaws.com}, signed for {@code bedrock}. */
    RUNTIME("bedrock", "BedrockRuntime", "BEDROCK_RUNTIME", "Bedrock Runtime"),
    /** {@code bedrock-mantle.REGION.api.aws}, signed for {@code bedrock-mantle}. */
    MANTLE("bedrock-mantle", "BedrockMantle", "BEDROCK_MANTLE", "Bedrock Mantle");

    private final String signingName;
    private final String propertySuffix;
    private final String variableSuffix;
    private final String title;

    BedrockHost(String signingName, String propertySuffix, String variableSuffix, String title) {
        this.signingName = signingName;
        this.propertySuffix = propertySuffix;
        this.variableSuffix = variableSuffix;
        this.title = title;
    }

    /** {@return the service name requests to this host are signed for} */
    public String signingName() {
        return signingName;
    }

    /** {@return the suffix of the host's endpoint system property, {@code aws.endpointUrl} + it} */
    String propertySuffix() {
        return propertySuffix;
    }

    /** {@return the suffix of the host's endpoint variable, {@code AWS_ENDPOINT_URL_} + it} */
    String variableSuffix() {
        return variableSuffix;
    }

    /** {@return the host's endpoint variable, such as {@code AWS_ENDPOINT_URL_BEDROCK_MANTLE}} */
    public String endpointVariable() {
        return "AWS_ENDPOINT_URL_" + variableSuffix;
    }

    /** {@return the host's name in messages, such as {@code Bedrock Mantle}} */
    public String title() {
        return title;
    }

    /**
     * {@return the host's regional endpoint} Runtime's is {@code https://bedrock-runtime.REGION.amazonaws.com}
     * ({@code .amazonaws.com.cn} in the {@code cn-} regions); Mantle's is {@code https://bedrock-mantle.REGION.api.aws}
     * (AWS lists no other partition for it).
     */
    public String defaultEndpoint(String region) {
        return this == RUNTIME
                ? "https://bedrock-runtime." + region + AwsRegions.dnsSuffix(region)
                : "https://bedrock-mantle." + region + ".api.aws";
    }
}
