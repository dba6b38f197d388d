package dev.sluice.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium (Debian's {@code chromium} package, found on the PATH or at
 * {@code $CHROMIUM}) driven through the DevTools protocol over the JDK's WebSocket client: no
 * Selenium, no browser download. One browser, one page; the events the page raises (console
 * messages, exceptions, dialogs) are collected.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private Chromium(Process process, Path profile, URI page) {
        this.process = process;
        this.profile = profile;
        this.socket =
                http.newWebSocketBuilder().buildAsync(page, new Listener()).join();
    }

    /** {@return the browser binary: $CHROMIUM, else chromium or chromium-browser on the PATH, else null} */
    static String binary() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) return env;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name)))
                    return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    static Chromium start() throws Exception {
        return start(List.of());
    }

    /** @param extraArgs more command-line switches, such as {@code --host-resolver-rules=...} */
    static Chromium start(List<String> extraArgs) throws Exception {
        String binary = binary();
        if (binary == null) {
            throw new IllegalStateException(
                    "no chromium on the PATH: install Debian's package (apt-get install -y chromium; "
                            + ".ci/run does it in CI) or point $CHROMIUM at a Chromium binary");
        }
        Path profile = Files.createTempDirectory("sluice-chromium-");
        List<String> command = new ArrayList<>(List.of(
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--no-default-browser-check",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=1100,1500"));
        command.addAll(extraArgs);
        command.add("about:blank");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!p.isAlive()) throw new IllegalStateException("chromium exited with " + p.exitValue());
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not open its DevTools port within 30 s");
            }
            Thread.sleep(50); // polling a file another process writes; nothing to await on
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        String page = null;
        for (JsonNode t : targets)
            if (t.path("type").asText().equals("page"))
                page = t.path("webSocketDebuggerUrl").asText();
        if (page == null) throw new IllegalStateException("no page target in " + targets);
        Chromium c = new Chromium(p, profile, URI.create(page));
        c.call("Page.enable", Map.of());
        c.call("Runtime.enable", Map.of());
        c.call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1100, "height", 1500, "deviceScaleFactor", 1, "mobile", false));
        return c;
    }

    /** Sends a command; {@return its result} */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(message), true).join();
        JsonNode response = result.get(30, TimeUnit.SECONDS);
        if (response.has("error")) throw new IllegalStateException(method + ": " + response.get("error"));
        return response.path("result");
    }

    /** Evaluates an expression in the page (awaiting a promise); {@return its value as JSON} */
    JsonNode eval(String expression) throws Exception {
        JsonNode r =
                call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails"))
            throw new IllegalStateException(expression + " threw " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    void navigate(URI url) throws Exception {
        call("Page.navigate", Map.of("url", url.toString()));
    }

    /** Saves a PNG of the viewport. */
    void screenshot(Path file) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    /** Sets the viewport's size in CSS pixels (a phone's when {@code mobile}). */
    void viewport(int width, int height, boolean mobile) throws Exception {
        call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Emulates the system's colour preference: {@code "dark"}, {@code "light"}, or {@code ""} for none. */
    void colorScheme(String scheme) throws Exception {
        call(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Types text into the focused element, as a keyboard would (one input event). */
    void type(String text) throws Exception {
        call("Input.insertText", Map.of("text", text));
    }

    /**
     * Presses and releases a key on the focused element.
     *
     * @param key a DOM key name: Enter, Tab, Escape
     * @param modifiers the DevTools bit mask: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift
     */
    void press(String key, int modifiers) throws Exception {
        int code = switch (key) {
            case "Enter" -> 13;
            case "Tab" -> 9;
            case "Escape" -> 27;
            case "ArrowUp" -> 38;
            case "ArrowDown" -> 40;
            default -> throw new IllegalArgumentException("no key code for " + key);
        };
        Map<String, Object> down = new java.util.HashMap<>(Map.of(
                "type", "rawKeyDown", "key", key, "code", key, "windowsVirtualKeyCode", code, "modifiers", modifiers));
        call("Input.dispatchKeyEvent", down);
        if (key.equals("Enter"))
            call("Input.dispatchKeyEvent", Map.of("type", "char", "text", "\r", "modifiers", modifiers));
        down.put("type", "keyUp");
        call("Input.dispatchKeyEvent", down);
    }

    /** {@return the events of the given method seen so far} */
    List<JsonNode> events(String method) {
        return events.stream()
                .filter(e -> e.path("method").asText().equals(method))
                .toList();
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        // Chromium's helpers (renderer, network, GPU) write into the profile until they exit: stop them all first.
        List<ProcessHandle> all =
                new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
        deleteTree(profile);
    }

    /** Deletes a directory tree, passing over files that vanish meanwhile. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs)
                    throws IOException {
                Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> f =
                                pending.remove(message.get("id").asInt());
                        if (f != null) f.complete(message);
                    } else {
                        events.add(message);
                        if (message.path("method").asText().equals("Page.javascriptDialogOpening")) {
                            ws.sendText(
                                    "{\"id\":" + ids.incrementAndGet()
                                            + ",\"method\":\"Page.handleJavaScriptDialog\",\"params\":{\"accept\":true}}",
                                    true);
                        }
                    }
                } catch (IOException e) {
                    events.add(
                            JSON.createObjectNode().put("method", "unparsable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
