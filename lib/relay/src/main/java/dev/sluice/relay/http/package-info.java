@NullMarked
package dev.sluice.relay.http;

import org.jspecify.annotations.NullMarked;
