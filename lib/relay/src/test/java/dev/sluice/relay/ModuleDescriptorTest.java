package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tests run on the class path, so this reads the compiled descriptor: sluice-relay's module
 * exports the relay, its protocols and its HTTP mapping, never its internal package, and needs
 * nothing beyond the library (whose Resilience4j rate limiter it also uses) and the JDK.
 */
class ModuleDescriptorTest {
    @Test
    void descriptor_compiled_exportsTheThreePublicPackagesAndRequiresOnlyTheLibrary() throws Exception {
        Path classes = Path.of(
                Relay.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.sluice.relay", d.name());
        assertEquals(
                Set.of("dev.sluice.relay", "dev.sluice.relay.protocol", "dev.sluice.relay.http"),
                d.exports().stream()
                        .peek(e -> assertTrue(e.targets().isEmpty(), "qualified export: " + e))
                        .map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet()));
        assertTrue(
                Files.isDirectory(classes.resolve("dev/sluice/relay/internal")),
                "the internal package exists but is not exported");
        assertEquals(
                Set.of("dev.sluice", "jdk.jfr", "io.github.resilience4j.ratelimiter"),
                d.requires().stream()
                        .map(ModuleDescriptor.Requires::name)
                        .filter(n -> !n.equals("java.base"))
                        .collect(Collectors.toSet()));
        assertTrue(d.opens().isEmpty(), "nothing is opened for reflection");
    }
}
