package dev.sluice.internal.low.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * {@link SigV4Signer} against the AWS SDK for Java 2.x's own signer ({@code AwsV4HttpSigner}, as
 * {@code BedrockRuntimeClient} signs: service {@code bedrock}, payload signing on, which adds
 * {@code x-amz-content-sha256}): for 1,000 generated requests at fixed instants, with and without a
 * session token, the headers each adds are byte for byte the same; and as the official OpenAI and
 * Anthropic clients sign for Bedrock's mantle host (service {@code bedrock-mantle}, the same signer),
 * for 1,000 generated requests to its OpenAI and Anthropic routes.
 */
class SigV4SignerSdkTest {
    private static final String[] MODEL_IDS = {
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
        "arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abc123",
        "amazon.nova-pro-v1:0",
        "meta.llama3-70b-instruct-v1:0",
        "model with spaces + plus",
        "modèle-ünïcode-模型-🚀",
        "a~b_c.d-e*f'g(h)i!j$k&l=m;n,o@p",
    };
    private static final String[] OPERATIONS = {"converse-stream", "converse", "invoke", "invoke-with-response-stream"};
    private static final String[] HOSTS = {
        "https://bedrock-runtime.us-east-1.amazonaws.com",
        "https://bedrock-runtime.eu-west-3.amazonaws.com:443",
        "https://bedrock-runtime-fips.us-west-2.amazonaws.com:8443",
        "http://127.0.0.1:4566",
        "http://localhost",
        "https://vpce-0123-abcd.bedrock-runtime.us-east-1.vpce.amazonaws.com",
    };
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-3", "ap-northeast-1"};
    private static final String[] MANTLE_HOSTS = {
        "https://bedrock-mantle.us-east-1.api.aws",
        "https://bedrock-mantle.us-east-2.api.aws:443",
        "https://bedrock-mantle.eu-central-1.api.aws",
        "http://127.0.0.1:4566/mantle",
        "https://vpce-0123-abcd.bedrock-mantle.us-west-2.vpce.amazonaws.com",
    };
    private static final String[] MANTLE_PATHS = {
        "/v1/chat/completions",
        "/v1/responses",
        "/openai/v1/chat/completions",
        "/openai/v1/responses",
        "/anthropic/v1/messages",
        "/anthropic/v1/messages/count_tokens",
        "/v1/models",
    };

    @Test
    void sign_thousandGeneratedRequests_addTheSdksHeadersByteForByte() {
        signs(new Random(4), "bedrock", HOSTS, SigV4SignerSdkTest::path);
    }

    @Test
    void sign_thousandGeneratedRequestsToTheMantleHost_addTheSdksHeadersForBedrockMantleByteForByte() {
        signs(new Random(5), "bedrock-mantle", MANTLE_HOSTS, SigV4SignerSdkTest::mantlePath);
    }

    /** Signs 1,000 requests both ways, for this signing name, and compares what each signer adds. */
    private static void signs(
            Random random, String service, String[] hosts, java.util.function.Function<Random, String> paths) {
        AwsV4HttpSigner sdk = AwsV4HttpSigner.create();
        for (int i = 0; i < 1_000; i++) {
            String method = switch (random.nextInt(6)) {
                case 0 -> "GET";
                case 1 -> "PUT";
                case 2 -> "DELETE";
                default -> "POST";
            };
            URI uri = URI.create(hosts[random.nextInt(hosts.length)] + paths.apply(random) + query(random));
            Map<String, List<String>> headers = headers(random);
            byte[] body = body(random);
            String region = REGIONS[random.nextInt(REGIONS.length)];
            Instant at = Instant.ofEpochSecond(1_600_000_000L + random.nextInt(400_000_000));
            boolean session = random.nextBoolean();
            String pad = random.nextInt(10) == 0 ? " " : "";
            String token = "IQoJb3JpZ2luX2VjE" + random.nextInt(1_000_000) + "/+=";
            AwsCredentials ours = new AwsCredentials(
                    pad + "AKIDEXAMPLE" + i,
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" + i + pad,
                    session ? token + pad : null);

            SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(method))
                    .uri(uri);
            headers.forEach(request::putHeader);
            AwsCredentialsIdentity identity = session
                    ? AwsSessionCredentialsIdentity.create(
                            pad + "AKIDEXAMPLE" + i, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" + i + pad, token + pad)
                    : AwsCredentialsIdentity.create(
                            pad + "AKIDEXAMPLE" + i, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" + i + pad);
            SignedRequest signed = sdk.sign(r -> r.identity(identity)
                    .request(request.build())
                    .payload(() -> new ByteArrayInputStream(body))
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));

            SigV4Headers added = new SigV4Signer(region, service, Clock.fixed(at, ZoneOffset.UTC))
                    .sign(method, uri, headers, body, ours);
            String what = "request " + i + ": " + method + " " + uri + " " + headers;
            SdkHttpRequest theirs = signed.request();
            assertEquals(theirs.firstMatchingHeader("Authorization").orElseThrow(), added.authorization(), what);
            assertEquals(theirs.firstMatchingHeader("X-Amz-Date").orElseThrow(), added.amzDate(), what);
            assertEquals(theirs.firstMatchingHeader("X-Amz-Security-Token").orElse(null), added.securityToken(), what);
            assertEquals(theirs.firstMatchingHeader("x-amz-content-sha256").orElseThrow(), added.contentSha256(), what);
        }
    }

    /** A route of the mantle host (OpenAI's under {@code /v1} or {@code /openai/v1}, Anthropic's); now and then another shape. */
    private static String mantlePath(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> "/v1/responses/resp_" + segment(randomText(random)); // a background response read again
            case 2 -> "/openai/./v1/../v1//responses";
            default -> MANTLE_PATHS[random.nextInt(MANTLE_PATHS.length)];
        };
    }

    /** {@code /model/{id}/{operation}}, the id encoded as a path segment; now and then other shapes. */
    private static String path(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "/";
            case 2 ->
                "/model/" + segment(MODEL_IDS[random.nextInt(MODEL_IDS.length)]) + "/"
                        + OPERATIONS[random.nextInt(OPERATIONS.length)] + "/";
            case 3 -> "/a/./b/../model//" + segment(MODEL_IDS[random.nextInt(MODEL_IDS.length)]) + "/converse";
            case 4 -> "/guardrail/" + segment(randomText(random)) + "/version/" + random.nextInt(10) + "/apply";
            default ->
                "/model/" + segment(MODEL_IDS[random.nextInt(MODEL_IDS.length)]) + "/"
                        + OPERATIONS[random.nextInt(OPERATIONS.length)];
        };
    }

    /** A segment percent-encoded as a URI's raw path holds it (what goes on the wire). */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String query(Random random) {
        if (random.nextInt(3) > 0) return "";
        List<String> params = new ArrayList<>();
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String name = random.nextInt(4) == 0 ? "name" : randomText(random);
            String value = randomText(random);
            String encodedValue =
                    random.nextBoolean() ? segment(value) : URLEncoder.encode(value, StandardCharsets.UTF_8);
            params.add(
                    switch (random.nextInt(8)) {
                        case 0 -> segment(name) + "=";
                        case 1 -> segment(name); // no '=': an empty value
                        default -> segment(name) + "=" + encodedValue;
                    });
        }
        return "?" + String.join("&", params);
    }

    private static Map<String, List<String>> headers(Random random) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (random.nextInt(5) > 0)
            headers.put(random.nextBoolean() ? "Content-Type" : "content-type", List.of("application/json"));
        if (random.nextBoolean())
            headers.put("Accept", List.of(random.nextBoolean() ? "application/vnd.amazon.eventstream" : "*/*"));
        if (random.nextInt(4) == 0) headers.put("X-Amzn-Bedrock-Trace", List.of("ENABLED"));
        if (random.nextInt(4) == 0)
            headers.put("X-Amzn-Bedrock-GuardrailIdentifier", List.of("  gr-" + random.nextInt(99) + "\t "));
        if (random.nextInt(4) == 0)
            headers.put("amz-sdk-invocation-id", List.of("3b615b0b-5d09-3075-1f03-49314f0c284d"));
        if (random.nextInt(4) == 0) headers.put("amz-sdk-request", List.of("attempt=1;  max=4"));
        if (random.nextInt(4) == 0) headers.put("anthropic-version", List.of("2023-06-01"));
        if (random.nextInt(4) == 0)
            headers.put("X-Stainless-Retry-Count", List.of(Integer.toString(random.nextInt(3))));
        if (random.nextInt(4) == 0) headers.put("User-Agent", List.of("sluice/0.1"));
        if (random.nextInt(6) == 0) headers.put("Connection", List.of("keep-alive"));
        if (random.nextInt(6) == 0) headers.put("Expect", List.of("100-continue"));
        if (random.nextInt(6) == 0) headers.put("X-Amzn-Trace-Id", List.of("Root=1-5759e988-bd862e3fe1be46a994272793"));
        if (random.nextInt(5) == 0) headers.put("X-Custom", List.of("  a   b  ", "", "c\t\td", randomText(random)));
        if (random.nextInt(8) == 0) headers.put("X-Empty", List.of(""));
        return headers;
    }

    private static byte[] body(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] b = new byte[random.nextInt(2048)];
                random.nextBytes(b);
                yield b;
            }
            default ->
                ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + randomText(random) + "\"}]}]}")
                        .getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Text of ASCII (reserved characters among them), Latin, CJK and emoji. */
    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int cp = switch (random.nextInt(8)) {
                case 0 -> 0xA0 + random.nextInt(0x100);
                case 1 -> 0x4E00 + random.nextInt(0x500);
                case 2 -> 0x1F600 + random.nextInt(0x40);
                default -> 0x21 + random.nextInt(0x5E);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }
}
