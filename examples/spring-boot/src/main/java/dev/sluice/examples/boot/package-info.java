@NullMarked
package dev.sluice.examples.boot;

import org.jspecify.annotations.NullMarked;
