@NullMarked
package dev.sluice.benchmarks.flinksql;

import org.jspecify.annotations.NullMarked;
