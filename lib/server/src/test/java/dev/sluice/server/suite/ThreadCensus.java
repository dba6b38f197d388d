package dev.sluice.server.suite;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's threads, virtual ones included (from the JDK's JSON thread dump, which lists every
 * virtual thread the JDK tracks: all of them unless {@code -Djdk.trackAllThreads=false}), counted
 * by name with stream ids and numbers cut off: {@code sluice-relay-store-ID} counts as
 * {@code sluice-relay-store-*}.
 *
 * @param platform the platform threads' names
 * @param virtual the virtual threads' names
 */
public record ThreadCensus(List<String> platform, List<String> virtual) {
    private static final Pattern THREAD = Pattern.compile(
            "\"tid\": \"\\d+\",\\s*\"time\": \"[^\"]*\",\\s*(\"virtual\": true,\\s*)?\"name\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** {@return the threads now} */
    public static ThreadCensus take() {
        CountDownLatch probeRuns = new CountDownLatch(1);
        CountDownLatch probeEnds = new CountDownLatch(1);
        Thread probe = Thread.ofVirtual().name("census-probe").start(() -> {
            probeRuns.countDown();
            try {
                probeEnds.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            probeRuns.await();
            Path file = Files.createTempFile("sluice-threads", ".json");
            Files.delete(file);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                List<String> platform = new ArrayList<>();
                List<String> virtual = new ArrayList<>();
                Matcher m = THREAD.matcher(Files.readString(file));
                while (m.find()) (m.group(1) != null ? virtual : platform).add(m.group(2));
                if (!virtual.remove("census-probe")) {
                    throw new IllegalStateException(
                            "the thread dump lists no virtual threads: run without -Djdk.trackAllThreads=false");
                }
                return new ThreadCensus(List.copyOf(platform), List.copyOf(virtual));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            probeEnds.countDown();
            try {
                probe.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@return the relay's and its store's threads (named {@code sluice-relay...}, {@code sluice-redis...},
     * {@code sluice-ws...}, {@code sluice-stream...}), platform and virtual, by kind: name -> count}
     * Not the server's pool ({@code sluice-serve-N}), which grows and shrinks by itself.
     */
    public TreeMap<String, Integer> relay() {
        TreeMap<String, Integer> kinds = new TreeMap<>();
        for (List<String> names : List.of(platform, virtual)) {
            for (String n : names)
                if (n.matches("sluice-(relay|redis|ws|stream).*")) kinds.merge(kind(n), 1, Integer::sum);
        }
        return kinds;
    }

    /** {@return a thread's name without its stream id (the last 22 characters, after a dash) or its number} */
    public static String kind(String name) {
        return name.replaceAll("^(.+)-[A-Za-z0-9_-]{22}$", "$1-*").replaceAll("\\d+$", "#");
    }

    @Override
    public String toString() {
        TreeMap<String, Integer> p = new TreeMap<>();
        for (String n : platform) p.merge(kind(n), 1, Integer::sum);
        TreeMap<String, Integer> v = new TreeMap<>();
        for (String n : virtual) v.merge(kind(n), 1, Integer::sum);
        return "platform " + platform.size() + " " + p + ", virtual " + virtual.size() + " " + v;
    }
}
