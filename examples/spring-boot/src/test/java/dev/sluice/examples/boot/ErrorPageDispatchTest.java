package dev.sluice.examples.boot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.RelayServer;
import dev.sluice.server.suite.SseTestClient;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * The relay mounted at the root of Boot's Tomcat, where Boot's error page ({@code /error}) falls to
 * it too: a client that hangs up on a chat's stream puts the request in Tomcat's error state, and
 * Tomcat includes its error page into the response under way. That include reaches the relay's
 * servlet with the request it reports on (the chat's post); the servlet leaves it alone, as it does
 * any error dispatch, rather than run the post again (which threw from {@code startAsync}, the
 * request being in the async state ERROR, and logged it twice).
 *
 * <p>Tomcat makes that include only when its error handling (on one of its threads, told of the
 * failed write) reaches the request before the relay's own end of the response (on the relay's
 * thread, which the failed write returns to), a race a busy machine decides either way. The test
 * decides it as Tomcat would on an idle one: the chat's response is wrapped so that a failed write
 * returns to the relay only once Tomcat's error page was dispatched (or after 20 s).
 */
class ErrorPageDispatchTest {
    private final FakeLlmServer fake = FakeLlmServer.start();
    private final AnthropicClient anthropic = AnthropicClient.builder()
            .apiKey("test")
            .baseUrl(fake.baseUrl().toString())
            .build();
    /** What each error dispatch the container made came to: its type, then the servlet's failure or "ok". */
    private final List<String> errorDispatches = new CopyOnWriteArrayList<>();

    private RelayServer.Running running;

    @BeforeEach
    void start() throws Exception {
        Filter watch = (request, response, chain) -> {
            boolean error = request.getDispatcherType() == DispatcherType.ERROR
                    || request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) != null;
            if (!error) {
                chain.doFilter(
                        request,
                        request.getDispatcherType() == DispatcherType.REQUEST
                                ? new ErrorPageFirst((HttpServletResponse) response)
                                : response);
                return;
            }
            String outcome = "ok";
            try {
                chain.doFilter(request, response);
            } catch (Exception | Error e) {
                outcome = e.toString();
                throw e;
            } finally {
                errorDispatches.add(request.getDispatcherType() + ": " + outcome);
            }
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(watch);
        registration.setDispatcherTypes(
                DispatcherType.REQUEST,
                DispatcherType.ASYNC,
                DispatcherType.ERROR,
                DispatcherType.INCLUDE,
                DispatcherType.FORWARD);
        registration.addUrlPatterns("/*");
        RelayHttpApi.Builder routes = RelayHttpApi.builder(new RelayAdmission(Relay.builder()
                .provider("anthropic", anthropic, ProviderCatalog.ANTHROPIC.defaultModel())
                .build()));
        running = new BootTomcatHost(context ->
                        context.registerBean("errorDispatchWatch", FilterRegistrationBean.class, () -> registration))
                .start(routes);
    }

    /** A response whose writes, when they fail, return once the container's error page was dispatched. */
    private final class ErrorPageFirst extends HttpServletResponseWrapper {
        private @Nullable ServletOutputStream out;

        ErrorPageFirst(HttpServletResponse response) {
            super(response);
        }

        @Override
        public synchronized ServletOutputStream getOutputStream() throws IOException {
            if (out == null) out = new Waiting(super.getOutputStream());
            return out;
        }

        private final class Waiting extends ServletOutputStream {
            private final ServletOutputStream delegate;

            Waiting(ServletOutputStream delegate) {
                this.delegate = delegate;
            }

            private IOException failed(IOException e) {
                await().atMost(Duration.ofSeconds(20)).until(() -> !errorDispatches.isEmpty());
                return e;
            }

            @Override
            public void write(int b) throws IOException {
                try {
                    delegate.write(b);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    delegate.write(b, off, len);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    delegate.flush();
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void close() throws IOException {
                delegate.close();
            }

            @Override
            public boolean isReady() {
                return delegate.isReady();
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                delegate.setWriteListener(listener);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
        anthropic.close();
        fake.close();
    }

    @Test
    void clientHangsUpOnAChatsStream_tomcatsErrorPageIncludeReachesTheServlet_leftAlone() throws Exception {
        fake.enqueue(FakeResponse.answer()
                .text(IntStream.range(0, 500).mapToObj(i -> "word" + i + " ").toArray(String[]::new))
                .paced(Duration.ZERO, Duration.ofMillis(20)));
        URI base = URI.create("http://127.0.0.1:" + running.port() + "/");
        SseTestClient chat = SseTestClient.chat(base, "chat-error-page-1", "Tell me a story", null);
        assertEquals(200, chat.response.statusCode());
        chat.readUntil(e -> !SseTestClient.uiText(e).isEmpty(), Long.MAX_VALUE);
        chat.close(); // hangs up: the next words written fail, and Tomcat goes to its error page

        await().atMost(Duration.ofSeconds(30)).until(() -> !errorDispatches.isEmpty());
        assertTrue(
                errorDispatches.stream().allMatch(d -> d.endsWith(": ok")),
                "the servlet left the error page's dispatch alone: " + errorDispatches);
        assertEquals(1, fake.requestCount(), "the post reached the model once");
    }
}
