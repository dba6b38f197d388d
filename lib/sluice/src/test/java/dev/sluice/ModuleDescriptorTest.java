package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tests run on the class path (DESIGN.md), so this is the one check that the compiled module
 * descriptor exists, is named {@code dev.sluice}, exports exactly the public packages (and one
 * internal package, JSON text, to the relay and the tool only) and
 * requires nothing beyond the JDK, jackson-core, Resilience4j and JSpecify's annotations; and that no compiled class refers to
 * Jackson's databind (issue #14: the library's jars stay under 3 MB without it). Databind is on the
 * tests' class path only.
 */
class ModuleDescriptorTest {

    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(SluiceException.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        // javac writes no ModulePackages attribute, so the packages come from the class files.
        Set<String> packages;
        try (Stream<Path> files = Files.walk(classes)) {
            packages = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace(java.io.File.separatorChar, '.'))
                    .filter(p -> !p.isEmpty())
                    .collect(Collectors.toSet());
        }
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in, () -> packages);
        }
    }

    @Test
    void descriptor_compiled_exportsOnlyPublicPackages() throws Exception {
        ModuleDescriptor d = descriptor();
        assertEquals("dev.sluice", d.name());
        Set<String> qualified = d.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + new TreeSet<>(e.targets()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                Set.of("dev.sluice.internal.low.json.text to [dev.sluice.cli, dev.sluice.relay]"),
                qualified,
                "the one qualified export: JSON text for Sluice's own artifacts");
        Set<String> exported = d.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                new TreeSet<>(Set.of(
                        "dev.sluice",
                        "dev.sluice.sse",
                        "dev.sluice.stream",
                        "dev.sluice.chat",
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
                        "dev.sluice.client",
                        "dev.sluice.objects",
                        "dev.sluice.mcp",
                        "dev.sluice.models",
                        "dev.sluice.providers")),
                exported);
        assertTrue(
                d.packages().stream().anyMatch(p -> p.startsWith("dev.sluice.internal")),
                "the internal packages exist but are not exported");
        assertTrue(d.opens().isEmpty(), "nothing is opened for reflection");
    }

    @Test
    void descriptor_compiled_requiresOnlyJacksonCoreAndResilience4j() throws Exception {
        Set<String> required = descriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.startsWith("java."))
                .collect(Collectors.toCollection(TreeSet::new));
        // jdk.jfr is the JDK's own Flight Recorder module (the dev.sluice.* events), not a dependency;
        // org.jspecify holds the nullness annotations of the API (annotations only, nothing at run time)
        assertEquals(
                new TreeSet<>(Set.of(
                        "org.jspecify",
                        "com.fasterxml.jackson.core",
                        "io.github.resilience4j.retry",
                        "io.github.resilience4j.core",
                        "io.github.resilience4j.circuitbreaker",
                        "io.github.resilience4j.bulkhead",
                        "io.github.resilience4j.ratelimiter",
                        "jdk.jfr")),
                required);
    }

    @Test
    void classes_compiled_referToNoDatabindClass() throws Exception {
        Path classes = Path.of(SluiceException.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        byte[] databind = "com/fasterxml/jackson/databind".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Set<String> referring = new TreeSet<>();
        int count;
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".class")).toList();
            count = all.size();
            for (Path f : all) {
                if (indexOf(Files.readAllBytes(f), databind) >= 0)
                    referring.add(classes.relativize(f).toString());
            }
        }
        assertTrue(count > 100, "the library's classes were found: " + count);
        assertEquals(Set.of(), referring, "classes naming a databind type (in their constant pool)");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) if (bytes[i + j] != part[j]) continue outer;
            return i;
        }
        return -1;
    }
}
