/**
 * The test kit's own JSON reader and writer (not exported), so that it depends on the JDK alone.
 */
@NullMarked
package dev.sluice.testkit.internal.json;

import org.jspecify.annotations.NullMarked;
