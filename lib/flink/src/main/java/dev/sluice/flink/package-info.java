@NullMarked
package dev.sluice.flink;

import org.jspecify.annotations.NullMarked;
