package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/**
 * The layer diagram of DESIGN.md, checked on the sources: each package imports only from the
 * packages listed for it. Data flows one way: bytes, sse, stream, providers, chat, and what sits on
 * top. Providers never import each other; {@code internal.http}, {@code internal.json} and {@code internal.value} sit below
 * {@code stream}; {@code internal.stream} and {@code internal.client} above {@code chat}.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/sluice");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.sluice(?:\\.[a-z]+)*)\\.[A-Z][\\w.]*;",
            Pattern.MULTILINE);

    private static final Set<String> BELOW_STREAM = Set.of("dev.sluice", "dev.sluice.sse", "dev.sluice.internal.json",
            "dev.sluice.internal.http", "dev.sluice.internal.value");
    private static final Set<String> CORE = union(BELOW_STREAM, Set.of("dev.sluice.stream", "dev.sluice.chat",
            "dev.sluice.internal.stream"));

    /** Package → the Sluice packages it may import (its own is always allowed). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("dev.sluice", Set.of()),
            Map.entry("dev.sluice.sse", Set.of("dev.sluice")),
            Map.entry("dev.sluice.internal.value", Set.of()),
            Map.entry("dev.sluice.internal.json", Set.of("dev.sluice", "dev.sluice.internal.value")),
            Map.entry("dev.sluice.internal.http", Set.of("dev.sluice", "dev.sluice.internal.json")),
            // the one upward reference: StreamController hands its internal operations to EngineAccess
            Map.entry("dev.sluice.stream", Set.of("dev.sluice", "dev.sluice.sse", "dev.sluice.internal.stream")),
            Map.entry("dev.sluice.chat", Set.of("dev.sluice", "dev.sluice.sse", "dev.sluice.stream", "dev.sluice.internal.value")),
            Map.entry("dev.sluice.internal.stream", union(BELOW_STREAM, Set.of("dev.sluice.stream", "dev.sluice.chat"))),
            Map.entry("dev.sluice.observe", Set.of("dev.sluice", "dev.sluice.stream", "dev.sluice.chat")),
            // JDK Flight Recorder events and the observer recording them; the relay emits its event from here too
            Map.entry("dev.sluice.internal.jfr", Set.of("dev.sluice", "dev.sluice.stream", "dev.sluice.chat", "dev.sluice.observe")),
            Map.entry("dev.sluice.internal.client", union(CORE, Set.of("dev.sluice.observe", "dev.sluice.internal.jfr"))),
            Map.entry("dev.sluice.anthropic", union(CORE, Set.of("dev.sluice.internal.client", "dev.sluice.observe"))),
            Map.entry("dev.sluice.openai", union(CORE, Set.of("dev.sluice.internal.client", "dev.sluice.observe"))),
            Map.entry("dev.sluice.gemini", union(CORE, Set.of("dev.sluice.internal.client", "dev.sluice.observe"))),
            // the general SSE client: above sse and stream, beside the providers, knowing none of them
            Map.entry("dev.sluice.eventsource", Set.of("dev.sluice", "dev.sluice.sse", "dev.sluice.stream",
                    "dev.sluice.internal.json", "dev.sluice.internal.http")),
            // the tool runner knows only the neutral layer: any provider works through it
            Map.entry("dev.sluice.agent", Set.of("dev.sluice", "dev.sluice.stream", "dev.sluice.chat", "dev.sluice.sse")),
            // the browser protocol: knows only chat (any provider works through it); internal.jfr for its JFR event
            Map.entry("dev.sluice.relay", Set.of("dev.sluice", "dev.sluice.sse", "dev.sluice.stream", "dev.sluice.chat",
                    "dev.sluice.internal.jfr")));

    @Test
    void imports_followTheLayerDiagram() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = packageOf(f);
                seen.add(pkg);
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(pkg + " is not in the layer table: add it to LayeringTest and DESIGN.md");
                    continue;
                }
                Matcher m = IMPORT.matcher(read(f));
                while (m.find()) {
                    String to = m.group(1);
                    if (!to.equals(pkg) && !allowed.contains(to)) violations.add(SOURCES.relativize(f) + " imports " + to);
                }
            }
        }
        assertEquals(List.of(), violations);
        assertTrue(seen.containsAll(ALLOWED.keySet()), "packages gone from the sources: " + seen);
    }

    @Test
    void exportedStreamPackage_refersToInternalOnlyThroughEngineAccess() throws IOException {
        List<String> refs = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("stream"))) {
            for (Path f : files.toList()) {
                Matcher m = Pattern.compile("^import (dev\\.sluice\\.internal\\.[\\w.]+);", Pattern.MULTILINE).matcher(read(f));
                while (m.find()) refs.add(f.getFileName() + " -> " + m.group(1));
            }
        }
        assertEquals(List.of("StreamController.java -> dev.sluice.internal.stream.EngineAccess"), refs);
    }

    private static String packageOf(Path f) {
        Matcher m = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(read(f));
        if (!m.find()) throw new AssertionError(f + " has no package declaration");
        return m.group(1);
    }

    private static String read(Path f) {
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
