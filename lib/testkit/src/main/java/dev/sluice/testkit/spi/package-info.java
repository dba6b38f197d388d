/**
 * The test kit's service-provider interface (exported to the {@code sluice} tool's demo model
 * alone): the {@link dev.sluice.testkit.spi.Voice} the fake server's unscripted answers speak with,
 * and the {@link dev.sluice.testkit.spi.Filler} of a structured answer's values, with the conversation's
 * {@link dev.sluice.testkit.spi.Turn}s, the hash choices are drawn with ({@link dev.sluice.testkit.spi.Voice#hash})
 * and the words of a property's name ({@link dev.sluice.testkit.spi.Slot#words}). Schemas and values are the
 * test kit's own JSON tree, the one other package the demo model reaches.
 */
@NullMarked
package dev.sluice.testkit.spi;

import org.jspecify.annotations.NullMarked;
