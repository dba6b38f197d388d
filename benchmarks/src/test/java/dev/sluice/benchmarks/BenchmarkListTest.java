package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * JMH's annotation processor ran over the main code: {@code java -jar benchmarks.jar NAME} (run-all.sh,
 * transport.sh) finds its benchmarks in {@code META-INF/BenchmarkList}, which only that processor writes.
 */
class BenchmarkListTest {
    @Test
    void benchmarkList_generatedByTheMainCompile_namesTheJmhBenchmarks() throws IOException {
        String list;
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is not on the class path");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(list.contains("FirstEventBenchmark") && list.contains("ClientThroughputBenchmark"), list);
    }
}
