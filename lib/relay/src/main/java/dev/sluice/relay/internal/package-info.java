@NullMarked
package dev.sluice.relay.internal;

import org.jspecify.annotations.NullMarked;
