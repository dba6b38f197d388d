package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.CredentialsException.Kind;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.aws.CredentialResponses.Response;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.ServerText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Temporary credentials for a role, from AWS STS's {@code AssumeRoleWithWebIdentity} with the token
 * in a file (a Kubernetes service account's, on EKS), as the AWS SDK for Java 2.x's
 * {@code WebIdentityTokenFileCredentialsProvider} obtains them: an unsigned form POST of
 * {@code Action}, {@code Version=2011-06-15}, {@code RoleArn}, {@code RoleSessionName} and
 * {@code WebIdentityToken} to the STS endpoint, the XML answer's {@code Credentials} read. The token
 * file is read again at each fetch (the orchestrator rotates it).
 *
 * <p>The answer is parsed by the JDK's XML parser with secure processing on, no DTD (a document with
 * a {@code DOCTYPE} is refused), no external entities, no XInclude. An error answer is reported by its
 * STS code, message and request id, cleaned by {@link ServerText#clean} (the token in any form a server
 * echoes, line breaks, length), never with the token.
 */
final class WebIdentityCredentials implements Supplier<Expiring<AwsCredentials>> {
    /** The deadline of a call to STS, its answer's body included. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final AwsSettings settings;
    private final Path tokenFile;
    private final String roleArn;
    private final String sessionName;
    private final Supplier<URI> endpoint;
    private final Duration timeout;

    /**
     * @param tokenFile the file holding the web identity token (a JWT)
     * @param roleArn the role to assume
     * @param sessionName the role session's name, or null for {@code aws-sdk-java-} and the time in milliseconds, as the SDK names it
     * @param endpoint the STS endpoint, found when first needed
     */
    WebIdentityCredentials(
            AwsSettings settings,
            Path tokenFile,
            String roleArn,
            @Nullable String sessionName,
            Supplier<URI> endpoint) {
        this(settings, tokenFile, roleArn, sessionName, endpoint, TIMEOUT);
    }

    /** As the constructor above, with another deadline for a call to STS (for tests). */
    WebIdentityCredentials(
            AwsSettings settings,
            Path tokenFile,
            String roleArn,
            @Nullable String sessionName,
            Supplier<URI> endpoint,
            Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
        this.sessionName = sessionName != null
                ? sessionName
                : "aws-sdk-java-" + settings.clock().millis();
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * {@return the STS endpoint: {@code aws.endpointUrlSts} / {@code AWS_ENDPOINT_URL_STS}, else
     * {@code aws.endpointUrl} / {@code AWS_ENDPOINT_URL}, else {@code https://sts.REGION.amazonaws.com}}
     *
     * @param region finds the region when no endpoint is set
     */
    static URI endpoint(AwsSettings settings, Supplier<String> region) {
        String url = AwsRegions.configuredEndpoint(settings, "Sts", "STS", null);
        return url != null
                ? URI.create(url)
                : URI.create("https://sts." + region.get() + AwsRegions.dnsSuffix(region.get()));
    }

    @Override
    public Expiring<AwsCredentials> get() {
        String token = readToken();
        String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + encode(roleArn)
                + "&RoleSessionName=" + encode(sessionName) + "&WebIdentityToken=" + encode(token);
        URI uri = endpoint.get();
        URI post = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
        // the form carries the web identity token: the transport's messages are made without it
        HttpPost request = new HttpPost(
                post,
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                form,
                timeout,
                timeout,
                "POST",
                List.of(token));
        String what = "AWS STS (AssumeRoleWithWebIdentity at " + AwsRegions.shown(post) + ")";
        Response r = CredentialResponses.send(settings.http(), request, what, Kind.FAILED);
        if (r.status() != 200) {
            Document doc;
            try {
                doc = parse(r.body(), what);
            } catch (CredentialsException unreadable) {
                throw new CredentialsException(
                        Kind.FAILED, what + " answered HTTP " + r.status() + " for the role " + roleArn, null);
            }
            // STS's text, cleaned as every server's is: the token in any form it may echo (base64, reversed, split),
            // line breaks collapsed, the length bounded
            Map<String, String> secrets = Map.of("web-identity-token", token);
            String code = cleaned(text(doc, "Code"), secrets);
            String requestId = cleaned(text(doc, "RequestId"), secrets);
            String message = cleaned(text(doc, "Message"), secrets);
            throw new CredentialsException(
                    Kind.FAILED,
                    what + " answered HTTP " + r.status()
                            + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message)
                            + (requestId == null ? "" : " (request id " + requestId + ")")
                            + " for the role " + roleArn,
                    null);
        }
        Document doc = parse(r.body(), what);
        String id = text(doc, "AccessKeyId");
        String secret = text(doc, "SecretAccessKey");
        String session = text(doc, "SessionToken");
        String expiration = text(doc, "Expiration");
        if (id == null || secret == null || session == null) {
            throw new CredentialsException(Kind.FAILED, what + " answered without Credentials", null);
        }
        return new Expiring<>(
                new AwsCredentials(id, secret, session),
                expiration == null ? null : CredentialResponses.instant(expiration, what));
    }

    private static @Nullable String cleaned(@Nullable String text, Map<String, String> secrets) {
        return text == null ? null : ServerText.clean(text, secrets);
    }

    private String readToken() {
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (token.isEmpty())
                throw new CredentialsException(
                        Kind.INVALID, "the web identity token file " + tokenFile + " is empty", null);
            return token;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CredentialsException c) throw c;
            throw new CredentialsException(
                    Kind.INVALID,
                    "the web identity token file " + tokenFile + " (AWS_WEB_IDENTITY_TOKEN_FILE) could not be read ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * {@return the XML document}
     *
     * @throws CredentialsException ({@link Kind#FAILED}) if it is not well-formed, or has a DTD
     */
    static Document parse(String xml, String what) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            // the parser's message may quote the document, which may hold credentials: not passed on
            throw new CredentialsException(
                    Kind.FAILED,
                    what + " answered with XML that could not be read safely"
                            + " (malformed, or with a DOCTYPE, which is refused)",
                    null);
        }
    }

    /** {@return the text of the first element of that local name, trimmed; null when there is none or it is blank} */
    static @Nullable String text(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("*", localName);
        if (nodes.getLength() == 0) return null;
        String t = nodes.item(0).getTextContent().strip();
        return t.isEmpty() ? null : t;
    }
}
