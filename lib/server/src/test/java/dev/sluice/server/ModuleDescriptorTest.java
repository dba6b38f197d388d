package dev.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tests run on the class path, so this reads the compiled descriptor: sluice-server's module
 * exports its one package and needs only the relay and the container's Servlet and WebSocket APIs.
 */
class ModuleDescriptorTest {
    @Test
    void descriptor_compiled_exportsItsPackageAndRequiresTheRelayAndTheContainersApis() throws Exception {
        Path classes = Path.of(RelayServlet.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.sluice.server", d.name());
        assertEquals(
                Set.of("dev.sluice.server"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(
                Set.of("dev.sluice.relay", "jakarta.servlet", "jakarta.websocket"),
                d.requires().stream()
                        .map(ModuleDescriptor.Requires::name)
                        .filter(n -> !n.equals("java.base"))
                        .collect(Collectors.toSet()));
    }
}
