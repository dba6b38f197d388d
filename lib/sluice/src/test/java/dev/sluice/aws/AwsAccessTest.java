package dev.sluice.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.internal.low.aws.AwsSettings;
import dev.sluice.internal.low.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link AwsAccess} finds the region, the endpoint and the authorization; what it shows. */
class AwsAccessTest {
    private static final HttpTransport HTTP = HttpTransport.builder().build();

    @TempDir
    Path home;

    private AwsAccess fromEnv(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("HOME", home.toString());
        all.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        return AwsAccess.fromEnv(new AwsSettings(all, Map.of(), Clock.systemUTC(), HTTP));
    }

    @Test
    void fromEnv_awsRegionBeforeProfileBeforeAwsDefaultRegion() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = eu-west-2\n");
        assertEquals(
                "us-west-2",
                fromEnv(Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "ap-south-1"))
                        .region());
        assertEquals(
                "eu-west-2", fromEnv(Map.of("AWS_DEFAULT_REGION", "ap-south-1")).region());
        Files.delete(home.resolve(".aws/config"));
        AwsAccess a = fromEnv(Map.of("AWS_DEFAULT_REGION", "ap-south-1"));
        assertEquals("ap-south-1", a.region());
        assertEquals(URI.create("https://bedrock-runtime.ap-south-1.amazonaws.com"), a.endpoint());
    }

    @Test
    void fromEnv_serviceEndpointBeforeGlobalEndpoint_regionFromItsHostWhenNoneIsSet() {
        AwsAccess a = fromEnv(Map.of(
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                "https://bedrock-runtime.eu-west-3.amazonaws.com",
                "AWS_ENDPOINT_URL",
                "http://127.0.0.1:9"));
        assertEquals(URI.create("https://bedrock-runtime.eu-west-3.amazonaws.com"), a.endpoint());
        assertEquals("eu-west-3", a.region());
        AwsAccess local = fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9/"));
        assertEquals(URI.create("http://127.0.0.1:9"), local.endpoint());
        assertEquals("us-east-1", local.region());
    }

    @Test
    void fromEnv_mantleEndpoint_ownVariableBeforeGlobalBeforeTheRegions() {
        AwsAccess own = fromEnv(Map.of(
                "AWS_REGION",
                "us-east-2",
                "AWS_ENDPOINT_URL_BEDROCK_MANTLE",
                "http://127.0.0.1:9/mantle",
                "AWS_ENDPOINT_URL",
                "http://127.0.0.1:8"));
        assertEquals(URI.create("http://127.0.0.1:9/mantle"), own.mantle().endpoint());
        assertEquals(URI.create("http://127.0.0.1:8"), own.endpoint(), "the runtime host's: the global variable");
        AwsAccess global = fromEnv(Map.of("AWS_REGION", "us-east-2", "AWS_ENDPOINT_URL", "http://127.0.0.1:8"));
        assertEquals(URI.create("http://127.0.0.1:8"), global.mantle().endpoint());
        AwsAccess regional = fromEnv(Map.of("AWS_REGION", "eu-central-1"));
        assertEquals(
                URI.create("https://bedrock-mantle.eu-central-1.api.aws"),
                regional.mantle().endpoint());
        assertEquals(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"), regional.endpoint());
        AwsAccess fromHost =
                fromEnv(Map.of("AWS_ENDPOINT_URL_BEDROCK_MANTLE", "https://bedrock-mantle.ap-northeast-1.api.aws"));
        assertEquals("ap-northeast-1", fromHost.region(), "the region the mantle host names");
    }

    @Test
    void mantle_sameAuthorization_signedForBedrockMantleAndBack() {
        AwsAccess runtime = AwsAccess.builder()
                .region("us-west-2")
                .credentials("AKIDX", "secret-value")
                .build();
        AwsAccess mantle = runtime.mantle();
        assertTrue(mantle.isMantle() && !runtime.isMantle());
        assertEquals("bedrock-mantle", mantle.signingName());
        assertEquals("bedrock", runtime.signingName());
        assertEquals(URI.create("https://bedrock-mantle.us-west-2.api.aws"), mantle.endpoint());
        String auth = mantle.authorization(
                        "POST", URI.create(mantle.endpoint() + "/openai/v1/responses"), "application/json", "{}")
                .get("Authorization");
        assertTrue(auth.contains("/us-west-2/bedrock-mantle/aws4_request"), auth);
        assertEquals(runtime.endpoint(), mantle.runtime().endpoint());
        assertEquals("bedrock", mantle.runtime().signingName());
        assertTrue(mantle == mantle.mantle() && runtime == runtime.runtime());
        assertTrue(mantle.toString().contains("service=bedrock-mantle"), mantle.toString());
        AwsAccess keyed =
                AwsAccess.builder().region("us-east-1").apiKey("ABSK-k").build().mantle();
        assertEquals(
                Map.of("authorization", "Bearer ABSK-k"),
                keyed.authorization("POST", URI.create(keyed.endpoint() + "/anthropic/v1/messages"), null, ""));
    }

    @Test
    void fromEnv_noRegionAnywhere_illegalStateNamingAwsRegion() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fromEnv(Map.of()));
        assertTrue(e.getMessage().contains("AWS_REGION"), e.getMessage());
    }

    @Test
    void fromEnv_apiKeySet_bearerWinsOverKeys() {
        AwsAccess a = fromEnv(Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_BEARER_TOKEN_BEDROCK",
                "ABSK-secret-key",
                "AWS_ACCESS_KEY_ID",
                "AKID",
                "AWS_SECRET_ACCESS_KEY",
                "shh"));
        assertEquals(
                Map.of("authorization", "Bearer ABSK-secret-key"),
                a.authorization(
                        "POST",
                        URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke"),
                        null,
                        ""));
        assertFalse(a.toString().contains("ABSK"), a.toString());
    }

    @Test
    void authorization_staticKeys_sigV4HeadersForBedrockInTheRegion() {
        AwsAccess a = AwsAccess.builder()
                .region("eu-north-1")
                .credentials("AKIDX", "secret-value", "token-value")
                .build();
        Map<String, String> h = a.authorization(
                "POST", URI.create(a.endpoint() + "/model/m/converse-stream"), "application/json", "{}");
        String auth = h.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                .findFirst()
                .orElseThrow()
                .getValue();
        assertTrue(
                auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDX/")
                        && auth.contains("/eu-north-1/bedrock/aws4_request"),
                auth);
        assertTrue(h.containsValue("token-value"), h.toString());
        assertFalse(a.toString().contains("secret-value") || a.toString().contains("token-value"), a.toString());
    }

    @Test
    void builder_neitherRegionNorEndpoint_illegalState() {
        assertThrows(IllegalStateException.class, () -> AwsAccess.builder().build());
        assertThrows(IllegalArgumentException.class, () -> AwsAccess.builder().region("not a region"));
        assertThrows(IllegalArgumentException.class, () -> AwsAccess.builder().endpoint("ftp://host"));
    }

    @Test
    void credentials_toString_hidesSecretAndToken() {
        String s = new AwsCredentialsProvider.Credentials("AKID", "the-secret", "the-token", Instant.EPOCH).toString();
        assertTrue(s.contains("AKID") && !s.contains("the-secret") && !s.contains("the-token"), s);
    }
}
