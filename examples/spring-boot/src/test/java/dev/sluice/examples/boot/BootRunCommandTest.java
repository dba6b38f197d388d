package dev.sluice.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/spring.md's command that runs this example works as written: the {@code spring-boot:} goal
 * it names has its plugin in this module's POM (Maven finds a prefix only among the plugins a POM
 * declares), and the address it says to open is the port {@code application.properties} sets, one
 * that is neither {@code sluice serve}'s default (8080) nor {@code serve-fake}'s documented 8089, so
 * the example runs beside them. (That the command starts the application was checked by hand:
 * {@code mvn spring-boot:run} needs the artifacts installed, which a test cannot assume.)
 */
class BootRunCommandTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path DOC = MODULE.resolve("../../docs/spring.md").normalize();

    @Test
    void docsRunCommand_namesAGoalWhosePluginThePomDeclares() throws IOException {
        String page = Files.readString(DOC, StandardCharsets.UTF_8);
        // the example's section (the page's Boot application of your own runs the same goal in its own build)
        List<String> example =
                page.substring(page.indexOf("### The example")).lines().toList();
        String command = example.stream()
                .filter(l -> l.contains("spring-boot:run"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("docs/spring.md's example shows no spring-boot:run command"));
        assertTrue(command.contains("-f examples/spring-boot"), command);
        String pom = Files.readString(MODULE.resolve("pom.xml"), StandardCharsets.UTF_8);
        String build = pom.substring(pom.indexOf("<build>"));
        assertTrue(
                build.contains("<artifactId>spring-boot-maven-plugin</artifactId>"),
                "no spring-boot-maven-plugin in " + MODULE);
    }

    @Test
    void docsAddress_isThePortTheApplicationListensOn_besideServeAndServeFake() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(MODULE.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String port = properties.getProperty("server.port");
        assertNotEquals("8080", port, "sluice serve's default port");
        assertNotEquals("8089", port, "serve-fake's documented port");
        String section = Files.readString(DOC, StandardCharsets.UTF_8);
        section = section.substring(section.indexOf("### The example"));
        Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/sluice/").matcher(section);
        assertTrue(url.find(), "docs/spring.md's example names no address");
        assertEquals(port, url.group(1));
    }
}
