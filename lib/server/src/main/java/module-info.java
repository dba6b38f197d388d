/**
 * Sluice's server: the relay's whole HTTP API and the chat page as a Jakarta Servlet 6 servlet
 * ({@link dev.sluice.server.RelayServlet}) with the WebSocket {@code /api/ws} on Jakarta WebSocket
 * 2.1, for any Servlet container; {@code sluice serve} runs it on Jetty. The Servlet and WebSocket
 * APIs are the container's.
 */
module dev.sluice.server {
    requires transitive dev.sluice.relay;
    requires transitive jakarta.servlet;
    requires transitive jakarta.websocket;

    exports dev.sluice.server;
}
