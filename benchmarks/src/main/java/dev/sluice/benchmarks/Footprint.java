package dev.sluice.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints the runtime footprint table: for each {@code LABEL=CLASSPATH} argument, every jar on the
 * class path with its size, and the total. {@code benchmarks/footprint.sh} builds the class paths
 * (Sluice: the library jar and its runtime dependencies; the SDK: its runtime class path as a user
 * of it resolves it).
 */
public final class Footprint {
    private Footprint() {}

    /**
     * Prints the table.
     *
     * @param args {@code LABEL=CLASSPATH} pairs
     * @throws Exception if a jar cannot be read
     */
    public static void main(String[] args) throws Exception {
        StringBuilder summary = new StringBuilder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected LABEL=CLASSPATH: " + arg);
            String label = arg.substring(0, eq);
            long total = 0;
            int jars = 0;
            System.out.printf(Locale.ROOT, "%n%s runtime class path%n", label);
            System.out.printf(Locale.ROOT, "| jar | KiB |%n|---|---:|%n");
            for (String entry : arg.substring(eq + 1).split(File.pathSeparator)) {
                if (entry.isBlank()) continue;
                Path jar = Path.of(entry);
                long size = Files.size(jar);
                total += size;
                jars++;
                System.out.printf(Locale.ROOT, "| %s | %,.1f |%n", jar.getFileName(), size / 1024.0);
            }
            System.out.printf(
                    Locale.ROOT, "| **total (%d jars)** | **%,.1f** (%.2f MB) |%n", jars, total / 1024.0, total / 1e6);
            summary.append(String.format(
                    Locale.ROOT, "%-12s %3d jars %8.2f MB (%,d bytes)%n", label, jars, total / 1e6, total));
        }
        System.out.printf(Locale.ROOT, "%n%s", summary);
    }
}
