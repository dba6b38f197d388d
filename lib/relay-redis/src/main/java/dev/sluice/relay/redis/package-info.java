@NullMarked
package dev.sluice.relay.redis;

import org.jspecify.annotations.NullMarked;
