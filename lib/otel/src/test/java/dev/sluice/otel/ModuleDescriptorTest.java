package dev.sluice.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tests run on the class path, so this reads the compiled descriptor: the artifact's module as documented. */
class ModuleDescriptorTest {
    @Test
    void descriptor_compiled_exportsOnlyItsPackageAndRequiresSluiceAndTheApiTransitively() throws Exception {
        Path classes = Path.of(GenAiObserver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("dev.sluice.otel", d.name());
        assertEquals(
                Set.of("dev.sluice.otel"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = d.requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        Set<ModuleDescriptor.Requires.Modifier> transitive = Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
        assertEquals(Map.of("dev.sluice", transitive, "io.opentelemetry.api", transitive), requires);
    }
}
