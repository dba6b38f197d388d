package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole programs docs/objects.md and docs/langchain4j.md show (DocsCodeTest holds each doc's
 * block to its file; docs/spring.md's are run by {@code sluice-spring-ai}'s
 * {@code SpringAiWholeProgramsTest}), run as a reader runs them: {@code main} in a JVM of its own, with no key and the base URLs of the
 * environment at the test kit's fake server, as the guides say to run offline.
 */
class WholeProgramsTest {
    private static FakeLlmServer fake;

    @BeforeAll
    static void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    /** {@return what {@code main} printed on stdout, once it exited 0} */
    private static String run(Class<?> main) throws IOException, InterruptedException {
        return run(main, fake);
    }

    /** {@return what {@code main}, given {@code args}, printed on stdout against {@code server}, once it exited 0} */
    private static String run(Class<?> main, FakeLlmServer server, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("whole-program-", ".out");
        Path err = Files.createTempFile("whole-program-", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    main.getName()));
            command.addAll(List.of(args));
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY").forEach(env::remove);
            String base = server.baseUrl().toString();
            env.put("ANTHROPIC_BASE_URL", base);
            env.put("OPENAI_BASE_URL", base);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(main.getSimpleName() + " did not end within 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(
                    0,
                    p.exitValue(),
                    main.getSimpleName() + ":\n" + stdout + Files.readString(err, StandardCharsets.UTF_8));
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void recipeStream_printsTheFormFillingIn_thenTheValidatedRecipe() throws Exception {
        List<String> lines = run(RecipeStream.class).lines().toList();
        assertTrue(lines.size() > 3, String.join("\n", lines));
        assertTrue(lines.getLast().startsWith("Recipe[title="), lines.getLast());
        assertTrue(lines.stream().anyMatch(l -> l.contains("writing the steps")), String.join("\n", lines));
        assertTrue(lines.get(lines.size() - 2).contains(" min | "), lines.get(lines.size() - 2));
    }

    @Test
    void saltySea_streamsThroughLangChain4j_andEndsWithTheModelAndItsTokens() throws Exception {
        List<String> lines = run(SaltySea.class).lines().toList();
        assertTrue(lines.size() >= 2 && !lines.getFirst().isBlank(), String.join("\n", lines));
        assertTrue(lines.getLast().matches("claude-sonnet-5-5, \\d+ output tokens"), lines.getLast());
    }

    @Test
    void shoppingList_printsEachIngredientAsItCompletes_thenTheSteps() throws Exception {
        List<String> lines = run(ShoppingList.class).lines().toList();
        assertTrue(lines.size() >= 2 && lines.getFirst().startsWith("buy "), String.join("\n", lines));
        assertTrue(lines.getLast().matches(".+: \\d+ steps"), lines.getLast());
    }

    @Test
    void leadFromSchema_printsThePartials_thenTheValidatedLead() throws Exception {
        List<String> lines = run(LeadFromSchema.class).lines().toList();
        assertTrue(lines.size() >= 2, String.join("\n", lines));
        String lead = lines.getLast();
        assertTrue(lead.startsWith("lead: {") && lead.contains("name=") && lead.contains("seats="), lead);
    }

    @Test
    void wholeAnswer_printsTheAnswerWhole() throws Exception {
        assertTrue(!run(WholeAnswer.class).isBlank());
    }

    @Test
    void cancelWhenSilent_printsTheAnswer_whenItsFirstTokenComesInTime() throws Exception {
        String stdout = run(CancelWhenSilent.class);
        assertTrue(!stdout.isBlank() && !stdout.contains("cancelled"), stdout);
    }

    @Test
    void cancelWhenSilent_cancels_whenNoTokenComesWithinTheWait() throws Exception {
        try (FakeLlmServer silent =
                FakeLlmServer.builder().firstTokenDelay(Duration.ofSeconds(60)).start()) {
            assertEquals("no token within 200 ms: cancelled\n", run(CancelWhenSilent.class, silent, "200"));
        }
    }
}
