package dev.sluice.internal.low.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The region and the endpoint of an AWS service, found as the AWS SDK for Java 2.x finds them.
 *
 * <p>The region ({@code DefaultAwsRegionProviderChain}): the {@code aws.region} system property,
 * the {@code AWS_REGION} variable, the selected profile's {@code region} (in the config file or the
 * credentials file), then the instance metadata service's identity document (unless
 * {@code AWS_EC2_METADATA_DISABLED} is {@code true}). {@code AWS_DEFAULT_REGION}, which the AWS CLI
 * reads, is not read here: the SDK does not read it either ({@code dev.sluice.aws.AwsAccess}
 * reads it after {@link #configuredRegion}, before the instance metadata service).
 *
 * <p>The endpoint: the service's own setting ({@code aws.endpointUrlBedrockRuntime} /
 * {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}; {@code aws.endpointUrlBedrockMantle} /
 * {@code AWS_ENDPOINT_URL_BEDROCK_MANTLE} for {@link BedrockHost#MANTLE}), the global one ({@code aws.endpointUrl} /
 * {@code AWS_ENDPOINT_URL}), the profile's {@code endpoint_url}, unless
 * {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} is {@code true}; else the host's regional endpoint
 * ({@link BedrockHost#defaultEndpoint}). A profile's {@code services} sections are
 * not read.
 */
public final class AwsRegions {
    private AwsRegions() {}

    /**
     * {@return the region, when one is configured or the instance metadata service gives one}
     *
     * @throws dev.sluice.CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static Optional<String> region(AwsSettings settings) {
        Optional<String> configured = configuredRegion(settings);
        if (configured.isPresent()) return configured;
        return instanceRegion(settings);
    }

    /**
     * {@return the region the settings or the profile name, without asking the instance metadata service}
     *
     * @throws dev.sluice.CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static Optional<String> configuredRegion(AwsSettings settings) {
        String region = settings.setting("aws.region", "AWS_REGION");
        if (region != null) return Optional.of(region);
        return AwsProfiles.load(settings)
                .profile(AwsProfiles.selected(settings))
                .map(p -> p.get("region"))
                .map(String::strip)
                .filter(r -> !r.isEmpty());
    }

    /**
     * {@return where {@link #configuredRegion} found its region, as a message says it: {@code from AWS_REGION},
     * {@code from the aws.region system property}, or {@code from the AWS profile 'NAME'}}
     */
    public static String configuredRegionSource(AwsSettings settings) {
        String property = settings.systemProperties().get("aws.region");
        if (property != null && !property.isBlank()) return "from the aws.region system property";
        if (settings.env("AWS_REGION") != null) return "from AWS_REGION";
        return "from the AWS profile '" + AwsProfiles.selected(settings) + "'";
    }

    /**
     * {@return what a refused request (401, 403) adds to its message: the region it was sent for and
     * where that came from, such as {@code sent for region us-east-1, from AWS_REGION}}
     */
    public static String refusalNote(String region, String source) {
        return "sent for region " + region + ", " + source;
    }

    /** {@return the instance metadata service's region, unless {@code AWS_EC2_METADATA_DISABLED} is true} */
    public static Optional<String> instanceRegion(AwsSettings settings) {
        return InstanceMetadata.disabled(settings) ? Optional.empty() : new InstanceMetadata(settings).region();
    }

    /** {@return the variable's value, trimmed; empty when unset or blank} For the settings the SDK does not read. */
    public static Optional<String> variable(AwsSettings settings, String name) {
        return Optional.ofNullable(settings.env(name));
    }

    /**
     * {@return Bedrock Runtime's endpoint: the configured one, else {@code https://bedrock-runtime.REGION.amazonaws.com}}
     *
     * @param region the region, for the default endpoint
     * @throws IllegalArgumentException if a configured endpoint is not an absolute http(s) URL
     */
    public static URI bedrockRuntimeEndpoint(AwsSettings settings, String region) {
        return endpoint(settings, region, BedrockHost.RUNTIME);
    }

    /**
     * {@return the endpoint of one of Bedrock's hosts: the configured one, else the region's}
     *
     * @param region the region, for the default endpoint
     * @throws IllegalArgumentException if a configured endpoint is not an absolute http(s) URL
     */
    public static URI endpoint(AwsSettings settings, String region, BedrockHost host) {
        String url = configuredEndpoint(settings, host).orElse(null);
        if (url == null) return URI.create(host.defaultEndpoint(region));
        URI uri = URI.create(url);
        if (!uri.isAbsolute()
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "the configured " + host.title() + " endpoint is not an http(s) URL: " + shown(uri));
        }
        return uri;
    }

    /**
     * {@return Bedrock Runtime's configured endpoint URL ({@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME},
     * {@code AWS_ENDPOINT_URL}, the profile's {@code endpoint_url}), if one is}
     *
     * @throws dev.sluice.CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static Optional<String> configuredBedrockRuntimeEndpoint(AwsSettings settings) {
        return configuredEndpoint(settings, BedrockHost.RUNTIME);
    }

    /**
     * {@return the endpoint URL configured for one of Bedrock's hosts: its own variable
     * ({@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}, {@code AWS_ENDPOINT_URL_BEDROCK_MANTLE}), else
     * {@code AWS_ENDPOINT_URL}, else the profile's {@code endpoint_url}, if one is}
     *
     * @throws dev.sluice.CredentialsException ({@code INVALID}) if a profile file is malformed
     */
    public static Optional<String> configuredEndpoint(AwsSettings settings, BedrockHost host) {
        Map<String, String> profile = AwsProfiles.load(settings)
                .profile(AwsProfiles.selected(settings))
                .orElse(Map.of());
        return Optional.ofNullable(configuredEndpoint(settings, host.propertySuffix(), host.variableSuffix(), profile));
    }

    /**
     * {@return the endpoint URL configured for a service, or null}
     *
     * @param propertySuffix the service's system property suffix, such as {@code BedrockRuntime}
     * @param variableSuffix the service's variable suffix, such as {@code BEDROCK_RUNTIME}
     * @param profile the selected profile's properties, or null not to read them
     */
    static @Nullable String configuredEndpoint(
            AwsSettings settings, String propertySuffix, String variableSuffix, @Nullable Map<String, String> profile) {
        if ("true"
                .equalsIgnoreCase(
                        settings.setting("aws.ignoreConfiguredEndpointUrls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
            return null;
        }
        String url = settings.setting("aws.endpointUrl" + propertySuffix, "AWS_ENDPOINT_URL_" + variableSuffix);
        if (url == null) url = settings.setting("aws.endpointUrl", "AWS_ENDPOINT_URL");
        if (url == null && profile != null) {
            String p = profile.get("endpoint_url");
            if (p != null && !p.isBlank()) url = p.strip();
        }
        return url;
    }

    /** {@return the DNS suffix of the region's partition: {@code .amazonaws.com.cn} in China, else {@code .amazonaws.com}} */
    static String dnsSuffix(String region) {
        return region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    }

    /** {@return the URL as a message shows it: scheme, host, port and path, without user information or query} */
    static String shown(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }
}
