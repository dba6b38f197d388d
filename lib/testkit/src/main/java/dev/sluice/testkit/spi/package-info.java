/**
 * The test kit's service-provider interface (exported to the {@code sluice} tool's demo model
 * alone): the {@link dev.sluice.testkit.spi.Voice} the fake server's unscripted answers speak with,
 * and the {@link dev.sluice.testkit.spi.Filler} of a structured answer's values.
 */
@NullMarked
package dev.sluice.testkit.spi;

import org.jspecify.annotations.NullMarked;
