/**
 * Starting child processes (an AWS profile's {@code credential_process}, an MCP server on stdio)
 * without their command lines in what the JVM records of them ({@link dev.sluice.internal.low.process.ChildCommand}).
 * Not exported.
 *
 * <p>Layer: <b>the low layer</b>: it uses the JDK only; {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.process;

import org.jspecify.annotations.NullMarked;
