@NullMarked
package dev.sluice.relay.protocol;

import org.jspecify.annotations.NullMarked;
