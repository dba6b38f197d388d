/**
 * The fake server's HTTP plumbing (not exported): the loopback HTTP/1.1 server, one exchange per request, headers, SSE writing, pacing and the connection faults.
 */
@NullMarked
package dev.sluice.testkit.internal.http;

import org.jspecify.annotations.NullMarked;
