package dev.sluice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layer table of DESIGN.md and the check of one module's sources against it, run by the build on
 * every module ({@code verify}, the parent POM's {@code layers} execution: {@code java -cp
 * target/layers dev.sluice.Layers SOURCE_ROOT}, this file alone compiled into the clone's
 * {@code target/layers} by its {@code layers-compile} execution, so it uses the JDK alone) as Spring's build applies
 * its architecture rules to every project, and by {@link LayeringTest} on every artifact under
 * {@code lib/} at once. Each package refers only to the packages listed for it, by import or by a
 * qualified name in code (comments aside). Data flows one way: the exceptions, {@code sse},
 * {@code internal.low} (HTTP, JSON, values), {@code stream}, {@code client} (options, policies,
 * reports, observers), {@code chat}, {@code internal.call} (opening, retries, resume, observation,
 * JFR), the providers, and what sits on top; then the other artifacts, each above the ones it wraps;
 * the examples on top of all, using what a user may (every exported package), and the benchmarks,
 * which measure internals too (any package). No
 * exception to the table. The relay core also names no HTTP status, media type or URL path.
 */
final class Layers {
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.sluice(?:\\.[a-z]+)*)\\.[A-Z]");
    /** What the relay core may not name: an HTTP status, a media type, a URL path, the JDK's HTTP client. */
    private static final Pattern HTTP_NAMES =
            Pattern.compile("\"/[^\"]*\"|\\b(?:4[0-9][0-9]|5[0-9][0-9])\\b|\"[a-z]+/[a-z.+-]+\"|java\\.net\\.http");
    /** The examples' packages: on top of every artifact, using what any user may (every exported package). */
    private static final Pattern EXAMPLES = Pattern.compile("dev\\.sluice\\.examples(\\.[a-z0-9]+)*");
    /** The benchmarks' packages: on top of everything, measuring internals too (a parser, SigV4), so any of Sluice's. */
    private static final Pattern BENCHMARKS = Pattern.compile("dev\\.sluice\\.benchmarks(\\.[a-z0-9]+)*");

    private static final String ROOT = "dev.sluice";
    private static final String SSE = "dev.sluice.sse";
    private static final String STREAM = "dev.sluice.stream";
    private static final String CLIENT = "dev.sluice.client";
    private static final String CHAT = "dev.sluice.chat";
    private static final String RELAY = "dev.sluice.relay";
    private static final String RELAY_INTERNAL = "dev.sluice.relay.internal";
    private static final String PROTOCOL = "dev.sluice.relay.protocol";
    private static final String HTTP = "dev.sluice.relay.http";
    /** JSON text: internal, exported to the relay (and the tool's tests) only. */
    private static final String JSON_TEXT = "dev.sluice.internal.low.json.text";
    /** Every exported package of every artifact under lib/. */
    private static final Set<String> PUBLIC = Set.of(
            ROOT,
            SSE,
            STREAM,
            CLIENT,
            CHAT,
            "dev.sluice.call",
            "dev.sluice.anthropic",
            "dev.sluice.openai",
            "dev.sluice.gemini",
            "dev.sluice.bedrock",
            "dev.sluice.aws",
            "dev.sluice.vertex",
            "dev.sluice.azure",
            "dev.sluice.eventsource",
            "dev.sluice.agent",
            "dev.sluice.mcp",
            "dev.sluice.objects",
            "dev.sluice.models",
            "dev.sluice.providers",
            RELAY,
            PROTOCOL,
            HTTP,
            "dev.sluice.relay.redis",
            "dev.sluice.server",
            "dev.sluice.otel",
            "dev.sluice.flink",
            "dev.sluice.langchain4j",
            "dev.sluice.springai",
            "dev.sluice.springboot",
            "dev.sluice.testkit",
            "dev.sluice.testkit.clouds",
            "dev.sluice.cli",
            "dev.sluice.cli.serve",
            "dev.sluice.cli.contract");

    private static final Set<String> LOW = Set.of(
            "dev.sluice.internal.low.value",
            "dev.sluice.internal.low.json",
            "dev.sluice.internal.low.json.text",
            "dev.sluice.internal.low.sse",
            "dev.sluice.internal.low.http",
            "dev.sluice.internal.low.eventstream",
            "dev.sluice.internal.low.aws",
            "dev.sluice.internal.low.auth",
            "dev.sluice.internal.low.process");
    private static final Set<String> CALL = Set.of(
            "dev.sluice.internal.call.stream", "dev.sluice.internal.call.client", "dev.sluice.internal.call.jfr");
    private static final Set<String> BELOW_PROVIDERS =
            union(Set.of(ROOT, SSE, STREAM, CLIENT, CHAT, "dev.sluice.models", "dev.sluice.call"), LOW, CALL);

    /** The test kit's exported cloud package: the names a user's test needs of each cloud's fake. */
    private static final Set<String> TESTKIT_CLOUDS = Set.of("dev.sluice.testkit.clouds");
    /**
     * The test kit's service-provider interface (a voice) and the JSON tree its schemas are: below everything else of
     * the test kit, and all the tool's demo model sees of it.
     */
    private static final Set<String> TESTKIT_SPI = Set.of("dev.sluice.testkit.spi", "dev.sluice.testkit.internal.json");
    /** Below the test kit's wire formats: the shared wire model and what it stands on. */
    private static final Set<String> TESTKIT_WIRE_MODEL =
            union(TESTKIT_SPI, Set.of("dev.sluice.testkit.internal.http", "dev.sluice.testkit.internal.wire"));
    /** What the answer planner uses. */
    private static final Set<String> TESTKIT_ANSWER =
            union(TESTKIT_WIRE_MODEL, Set.of("dev.sluice.testkit.internal.answer"));
    /** What a provider's wire format of the test kit uses: the shared wire model, and the planner's signatures and schemas. */
    private static final Set<String> TESTKIT_WIRE =
            union(TESTKIT_WIRE_MODEL, Set.of("dev.sluice.testkit.internal.answer"));
    /** The test kit's packages that are not exported: its server's plumbing, wire formats and planner. */
    private static final Set<String> TESTKIT_INTERNAL = union(
            TESTKIT_ANSWER,
            Set.of(
                    "dev.sluice.testkit.internal.wire.anthropic",
                    "dev.sluice.testkit.internal.wire.openai",
                    "dev.sluice.testkit.internal.wire.gemini",
                    "dev.sluice.testkit.internal.wire.bedrock",
                    "dev.sluice.testkit.internal.wire.vertex",
                    "dev.sluice.testkit.internal.wire.azure"));

    /** Package → the Sluice packages it may refer to (its own is always allowed). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry(ROOT, Set.of()),
            Map.entry(SSE, Set.of(ROOT, "dev.sluice.internal.low.sse")),
            Map.entry("dev.sluice.internal.low.sse", Set.of()),
            Map.entry("dev.sluice.internal.low.value", Set.of()),
            Map.entry("dev.sluice.internal.low.json", Set.of(ROOT, "dev.sluice.internal.low.value")),
            // JSON text for the relay (a qualified export): the JSON writer below it
            Map.entry("dev.sluice.internal.low.json.text", Set.of("dev.sluice.internal.low.json")),
            Map.entry(
                    "dev.sluice.internal.low.http",
                    Set.of(ROOT, "dev.sluice.internal.low.json", "dev.sluice.internal.low.sse")),
            // the AWS event stream framing (Bedrock's responses): the JDK and the exceptions, like sse
            Map.entry("dev.sluice.internal.low.eventstream", Set.of(ROOT)),
            // child processes started with their command lines out of JFR's records: the JDK only
            Map.entry("dev.sluice.internal.low.process", Set.of()),
            // SigV4 request signing (Bedrock's requests) and the AWS credential chain: the JDK, the exceptions
            // (CredentialsException) and the JSON reader (credential endpoints answer in JSON), below the transport;
            // its credentials in the one refresh-ahead cache of every cloud's (auth's RefreshAhead); AWS's errors in
            // HTTP bodies and in event-stream frames (AwsJsonErrors: one reader for both Bedrock Runtime clients)
            Map.entry(
                    "dev.sluice.internal.low.aws",
                    Set.of(
                            ROOT,
                            "dev.sluice.internal.low.json",
                            "dev.sluice.internal.low.http",
                            "dev.sluice.internal.low.process",
                            "dev.sluice.internal.low.auth",
                            "dev.sluice.internal.low.eventstream")),
            // the clouds' token sources: their token requests go through the transport, their answers through Json
            Map.entry(
                    "dev.sluice.internal.low.auth",
                    Set.of(ROOT, "dev.sluice.internal.low.json", "dev.sluice.internal.low.http")),
            Map.entry(STREAM, Set.of(ROOT, SSE, "dev.sluice.internal.low.sse")),
            // ClientSettings checks header names and values as the transport does; listeners' text views
            Map.entry(
                    CLIENT, Set.of(ROOT, SSE, STREAM, "dev.sluice.internal.low.http", "dev.sluice.internal.low.value")),
            // the fallback chain moves on after the same failures the retries repeat (RetryRules: one list of statuses)
            Map.entry(
                    CHAT,
                    union(
                            Set.of(ROOT, SSE, STREAM, CLIENT),
                            Set.of(
                                    "dev.sluice.internal.low.json",
                                    "dev.sluice.internal.low.value",
                                    "dev.sluice.internal.low.http"))),
            Map.entry("dev.sluice.internal.call.jfr", Set.of(ROOT, STREAM, CLIENT, CHAT)),
            // what each model takes, as data (models.tsv): over the neutral layer (its Effort), below the providers
            Map.entry("dev.sluice.models", Set.of(CHAT)),
            Map.entry(
                    "dev.sluice.internal.call.client",
                    union(
                            Set.of(ROOT, SSE, STREAM, CLIENT, CHAT),
                            LOW,
                            // ClaudeThinking: the model table's thinking form, for both routes to Claude
                            Set.of(
                                    "dev.sluice.internal.call.jfr",
                                    "dev.sluice.internal.call.stream",
                                    "dev.sluice.models"))),
            Map.entry("dev.sluice.internal.call.stream", union(Set.of(ROOT, SSE, STREAM, CLIENT, CHAT), LOW)),
            // what the four provider clients share (AbstractProviderClient): their core's reports and close, once
            Map.entry("dev.sluice.call", Set.of(CLIENT, CHAT, "dev.sluice.internal.call.client")),
            // Google Vertex AI's access (project, location, credentials): below the providers that reach it
            Map.entry(
                    "dev.sluice.vertex",
                    Set.of(ROOT, CLIENT, "dev.sluice.internal.low.auth", "dev.sluice.internal.call.client")),
            // Amazon Bedrock's access (region, endpoint, credentials): below the clients that reach it
            Map.entry(
                    "dev.sluice.aws",
                    Set.of(
                            ROOT,
                            "dev.sluice.internal.low.aws",
                            "dev.sluice.internal.low.auth",
                            "dev.sluice.internal.low.http")),
            // Azure's access (an endpoint, a key or Entra ID tokens): below the clients that reach it
            Map.entry(
                    "dev.sluice.azure",
                    Set.of(ROOT, CLIENT, "dev.sluice.internal.low.auth", "dev.sluice.internal.call.client")),
            // Claude through a cloud: the cloud's access value, never its client
            Map.entry(
                    "dev.sluice.anthropic",
                    union(BELOW_PROVIDERS, Set.of("dev.sluice.vertex", "dev.sluice.aws", "dev.sluice.azure"))),
            Map.entry("dev.sluice.openai", union(BELOW_PROVIDERS, Set.of("dev.sluice.aws", "dev.sluice.azure"))),
            Map.entry("dev.sluice.gemini", union(BELOW_PROVIDERS, Set.of("dev.sluice.vertex"))),
            Map.entry("dev.sluice.bedrock", union(BELOW_PROVIDERS, Set.of("dev.sluice.aws"))),
            // the general SSE client: above sse and stream, beside the providers, knowing none of them
            Map.entry(
                    "dev.sluice.eventsource",
                    union(Set.of(ROOT, SSE, STREAM, CLIENT), LOW, Set.of("dev.sluice.internal.call.client"))),
            // the tool runner knows only the neutral layer (any provider works through it), and the MCP
            // client, whose servers' tools it offers (agent ──> mcp, never the reverse)
            // (and the low values' one cut of a tool's result, which the MCP client cuts with too)
            Map.entry(
                    "dev.sluice.agent",
                    Set.of(ROOT, STREAM, CLIENT, CHAT, "dev.sluice.mcp", "dev.sluice.internal.low.value")),
            // the MCP client: tools/list and tools/call with progress, in types of its own; it knows
            // nothing of the runner. HTTP, SSE and JSON from the low layers
            Map.entry("dev.sluice.mcp", union(Set.of(ROOT, SSE, STREAM, CLIENT, CHAT), LOW)),
            // typed partial objects: over the neutral layer (any provider), PartialJson's low values read without
            // copying
            Map.entry("dev.sluice.objects", union(Set.of(ROOT, SSE, STREAM, CLIENT, CHAT), LOW)),
            // the table of every provider (the tool, Boot, Flink SQL, the observers read it): above the providers and
            // clouds
            Map.entry(
                    "dev.sluice.providers",
                    Set.of(
                            ROOT,
                            SSE, // a passthrough's events (ChatProvider.passthrough), delegated
                            STREAM,
                            CLIENT,
                            CHAT,
                            "dev.sluice.anthropic",
                            "dev.sluice.openai",
                            "dev.sluice.gemini",
                            "dev.sluice.bedrock",
                            "dev.sluice.aws",
                            "dev.sluice.vertex",
                            "dev.sluice.azure",
                            "dev.sluice.models")), // which maker's own API a provider is
            // sluice-flink: the DataStream function and the SQL model provider, over the provider-neutral layer
            Map.entry(
                    "dev.sluice.flink",
                    Set.of(ROOT, STREAM, CLIENT, CHAT, "dev.sluice.objects", "dev.sluice.providers")),
            // sluice-relay: the relay knows only the neutral layer of the library; its protocols and
            // HTTP mapping sit above it; its internal package (JSON checks) below all three
            // (and a tool runner's runs: RelaySource.toolRunner carries its events, tool progress among them;
            // and typed objects: RelaySource.object carries a structured answer's JSON, validated by its schema)
            Map.entry(
                    RELAY,
                    Set.of(
                            ROOT,
                            SSE,
                            STREAM,
                            CLIENT,
                            CHAT,
                            "dev.sluice.agent",
                            "dev.sluice.objects",
                            RELAY_INTERNAL,
                            JSON_TEXT)),
            Map.entry(RELAY_INTERNAL, Set.of(SSE, CHAT, JSON_TEXT)),
            Map.entry(
                    PROTOCOL, Set.of(ROOT, SSE, STREAM, CHAT, "dev.sluice.objects", RELAY, RELAY_INTERNAL, JSON_TEXT)),
            // the server-neutral HTTP mapping: routes, guard and admission over the relay and its protocols
            // (and a structured answer's schema, as its requests carry one; and the model catalog, whose
            // output limits bound a passed-through request that names none, and whose makers take a bare model id;
            // and the SSE parser, which turns the Responses door's event stream into a WebSocket's messages;
            // and the client's StreamCaller, which names a minted key's id to the upstream's observers)
            Map.entry(
                    HTTP,
                    Set.of(
                            ROOT,
                            SSE,
                            STREAM,
                            CLIENT,
                            CHAT,
                            "dev.sluice.objects",
                            "dev.sluice.models",
                            RELAY,
                            PROTOCOL,
                            RELAY_INTERNAL)),
            Map.entry("dev.sluice.relay.redis", Set.of(ROOT, RELAY)),
            // sluice-server: the servlet over the HTTP mapping, nothing below it but the relay's types
            Map.entry("dev.sluice.server", Set.of(RELAY, HTTP)),
            // sluice-cli: the tool uses what any user may, every exported package, never an internal one
            Map.entry("dev.sluice.cli", PUBLIC),
            Map.entry("dev.sluice.cli.serve", PUBLIC),
            Map.entry("dev.sluice.cli.contract", PUBLIC),
            // sluice-otel: an observer of the library's streams, OpenTelemetry's API its only other dependency (the
            // catalog names a stream's provider in OpenTelemetry's words)
            Map.entry("dev.sluice.otel", Set.of(ROOT, CLIENT, "dev.sluice.providers")),
            // sluice-langchain4j: LangChain4j's models over the neutral layer (the catalog and the Responses view, only
            // to name LangChain4j's ModelProvider)
            Map.entry(
                    "dev.sluice.langchain4j", Set.of(ROOT, STREAM, CHAT, "dev.sluice.openai", "dev.sluice.providers")),
            // sluice-spring-ai: a Spring AI model over the neutral layer, any provider or fallback chain through it
            Map.entry("dev.sluice.springai", Set.of(ROOT, STREAM, CHAT)),
            // sluice-spring-boot-starter: builds what a user would from properties, every exported package, never an
            // internal one
            Map.entry("dev.sluice.springboot", PUBLIC),
            // sluice-testkit: the JDK alone, so that any project's tests can use it
            Map.entry("dev.sluice.testkit", union(TESTKIT_CLOUDS, TESTKIT_INTERNAL)),
            // the test kit's own JSON, below everything of it
            Map.entry("dev.sluice.testkit.internal.json", Set.of()),
            // the voice SPI the demo model provides (with the conversation's turns): over the JSON, below the rest
            Map.entry("dev.sluice.testkit.spi", Set.of("dev.sluice.testkit.internal.json")),
            // the loopback HTTP/1.1 server, exchanges, SSE writing, pacing and connection faults
            Map.entry("dev.sluice.testkit.internal.http", TESTKIT_SPI),
            // what every wire format shares: the parsed request, the planned reply, API errors, the format contract
            Map.entry(
                    "dev.sluice.testkit.internal.wire", union(TESTKIT_SPI, Set.of("dev.sluice.testkit.internal.http"))),
            // the answer planner and its plain voice: above the SPI, below the formats
            Map.entry("dev.sluice.testkit.internal.answer", TESTKIT_ANSWER),
            // sluice-demo: the tool's demo model, a voice for the test kit's planner, through its SPI alone
            Map.entry("dev.sluice.demo", TESTKIT_SPI),
            // each provider's wire format: the shared wire model and what is below it; a cloud's format carries the
            // provider's it wraps and names its cloud's test credentials
            Map.entry("dev.sluice.testkit.internal.wire.anthropic", TESTKIT_WIRE),
            Map.entry("dev.sluice.testkit.internal.wire.openai", TESTKIT_WIRE),
            Map.entry("dev.sluice.testkit.internal.wire.gemini", TESTKIT_WIRE),
            Map.entry(
                    "dev.sluice.testkit.internal.wire.bedrock",
                    union(
                            TESTKIT_WIRE,
                            Set.of(
                                    "dev.sluice.testkit.clouds",
                                    "dev.sluice.testkit.internal.wire.anthropic",
                                    "dev.sluice.testkit.internal.wire.openai"))),
            Map.entry(
                    "dev.sluice.testkit.internal.wire.vertex",
                    union(
                            TESTKIT_WIRE,
                            Set.of(
                                    "dev.sluice.testkit.clouds",
                                    "dev.sluice.testkit.internal.wire.anthropic",
                                    "dev.sluice.testkit.internal.wire.gemini"))),
            Map.entry(
                    "dev.sluice.testkit.internal.wire.azure",
                    union(
                            TESTKIT_WIRE,
                            Set.of(
                                    "dev.sluice.testkit.clouds",
                                    "dev.sluice.testkit.internal.wire.anthropic",
                                    "dev.sluice.testkit.internal.wire.openai"))),
            // the clouds' names a user's test needs (Bedrock's test key, Vertex AI's project, test service account and
            // token, Azure's key and Entra ID application): the JDK alone
            Map.entry("dev.sluice.testkit.clouds", Set.of()));

    private Layers() {}

    /**
     * Checks the main sources of one module: prints each reference against the table (and a package
     * the table lacks) and exits 1 when there is one.
     *
     * @param args the module's source roots ({@code src/main/java}); a missing one has nothing to check
     */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : args) files.addAll(javaFiles(Path.of(root)));
        List<String> found = new ArrayList<>(violations(files, new TreeSet<>()));
        found.addAll(relayHttp(files));
        found.addAll(publicExceptions(files));
        for (String v : found) System.err.println("layers: " + v);
        if (!found.isEmpty()) {
            System.err.println(
                    "layers: " + found.size()
                            + " reference(s) against DESIGN.md's layer table (lib/sluice/src/test/java/dev/sluice/Layers.java)");
            System.exit(1);
        }
        System.out.println("layers: " + files.size() + " files follow the layer table");
    }

    /**
     * {@return each reference of these files against the table, and each package the table lacks}
     *
     * @param seen receives the packages of the files
     */
    static List<String> violations(List<Path> files, Set<String> seen) {
        List<String> violations = new ArrayList<>();
        for (Path f : files) {
            String source = read(f);
            String pkg = packageOf(source, f);
            seen.add(pkg);
            if (BENCHMARKS.matcher(pkg).matches()) continue;
            Set<String> allowed = allowed(pkg);
            if (allowed == null) {
                String missing = pkg + " is not in the layer table: add it to Layers and DESIGN.md";
                if (!violations.contains(missing)) violations.add(missing);
                continue;
            }
            Matcher m = REFERENCE.matcher(code(source));
            Set<String> reported = new TreeSet<>();
            while (m.find()) {
                String to = m.group(1);
                if (!to.equals(pkg) && !allowed.contains(to) && reported.add(to)) {
                    violations.add(f + " refers to " + to);
                }
            }
        }
        return violations;
    }

    /** {@return the packages of the table} */
    static Set<String> tabled() {
        return ALLOWED.keySet();
    }

    private static Set<String> allowed(String pkg) {
        Set<String> a = ALLOWED.get(pkg);
        if (a != null) return a;
        return EXAMPLES.matcher(pkg).matches() ? PUBLIC : null;
    }

    /**
     * {@return what the relay core's files (package {@code dev.sluice.relay}) name of HTTP} The relay
     * carries streams for any transport: HTTP error statuses, media types, URL paths and per-address
     * admission belong to the server that embeds it ({@code serve}, or a user's Spring or Helidon
     * application), which maps the relay's typed refusals.
     */
    static List<String> relayHttp(List<Path> files) {
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String source = read(f);
            if (!packageOf(source, f).equals(RELAY)) continue;
            Matcher m = HTTP_NAMES.matcher(codeKeepingStrings(source));
            while (m.find()) found.add(f.getFileName() + ": " + m.group());
        }
        return found;
    }

    /** A public class that extends a throwable type: its name and what it extends. */
    private static final Pattern PUBLIC_THROWABLE = Pattern.compile(
            "\\bpublic\\s+((?:static\\s+|final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*)class\\s+(\\w+)"
                    + "(?:<[^>{]*>)?\\s+extends\\s+([\\w.]*(?:Exception|Error|Throwable))\\b");

    /**
     * {@return each public exception type of these files outside Sluice's one family} Every public
     * unchecked exception is a {@code dev.sluice.SluiceException} (STYLE.md rule 5): the root package
     * holds the family, rooted at a {@code sealed} class, and nothing else; another package may declare
     * a public exception only when it is an {@code internal} one (not a user's to catch), and such
     * a one is checked. A package-private exception (the relay's HTTP refusal on its way to the
     * router) is nobody's to catch but its package's.
     */
    static List<String> publicExceptions(List<Path> files) {
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String source = read(f);
            String pkg = packageOf(source, f);
            Matcher m = PUBLIC_THROWABLE.matcher(code(source));
            while (m.find()) {
                String name = m.group(2);
                String parent = m.group(3).substring(m.group(3).lastIndexOf('.') + 1);
                boolean unchecked = parent.equals("RuntimeException")
                        || parent.startsWith("Illegal")
                        || parent.startsWith("Unchecked")
                        || parent.startsWith("Unsupported")
                        || parent.equals("Error")
                        || parent.equals("Throwable");
                if (pkg.equals(ROOT)) {
                    if (unchecked && !m.group(1).contains("sealed"))
                        found.add(f.getFileName() + ": " + name + " roots the family unsealed");
                } else if (!pkg.contains(".internal") || unchecked) {
                    found.add(f.getFileName() + ": public " + name + " extends " + parent
                            + " outside the family (make it a SluiceException, or not public)");
                }
            }
        }
        return found;
    }

    /** {@return the Java files under a source root, module descriptors aside; none when it is missing} */
    static List<Path> javaFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
                    .sorted()
                    .toList();
        }
    }

    /** {@return the source without comments and string literals} A reference in Javadoc is not a dependency. */
    static String code(String source) {
        return strip(source, false);
    }

    /** {@return the source without comments, string literals kept} */
    static String codeKeepingStrings(String source) {
        return strip(source, true);
    }

    /** {@return the string literals and text blocks of the source, as written between their quotes, comments aside} */
    static List<String> literals(String source) {
        List<String> found = new ArrayList<>();
        strip(source, false, found);
        return found;
    }

    private static String strip(String source, boolean keepStrings) {
        return strip(source, keepStrings, new ArrayList<>());
    }

    private static String strip(String source, boolean keepStrings, List<String> literals) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("\"\"\"", i)) { // a text block, from the line after its opening quotes
                int start = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i) + 1;
                int end = start;
                while (end < n && !source.startsWith("\"\"\"", end)) end += source.charAt(end) == '\\' ? 2 : 1;
                literals.add(source.substring(start, Math.min(end, n)));
                out.append(keepStrings ? source.substring(i, Math.min(end + 3, n)) : "\"\"");
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c) j += source.charAt(j) == '\\' ? 2 : 1;
                if (c == '"') literals.add(source.substring(i + 1, Math.min(j, n)));
                out.append(keepStrings ? source.substring(i, Math.min(j + 1, n)) : "\"\"");
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static String packageOf(String source, Path f) {
        Matcher m = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(source);
        if (!m.find()) throw new AssertionError(f + " has no package declaration");
        return m.group(1);
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return Set.copyOf(all);
    }
}
