/**
 * The {@code sluice} command-line tool ({@code sluice.jar}): every command, the embedded fake
 * server, and {@code serve}, which runs sluice-server's servlet on embedded Jetty. A tool, not a
 * library: it exports nothing; its contract is its output (docs/cli.md).
 */
module dev.sluice.cli {
    requires dev.sluice.server;
    requires dev.sluice.relay.redis;
    requires dev.sluice.testkit;
    requires dev.sluice.demo; // the demo model the embedded fake server speaks with (a service it provides)
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires jdk.management; // HeapCeiling: the old generation's threshold and -XX:SoftMaxHeapSize
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.ee10.servlet;
    requires org.eclipse.jetty.ee10.websocket.jakarta.server;
    requires org.eclipse.jetty.ee10.websocket.servlet; // ServeServer takes out its upgrade filter
}
