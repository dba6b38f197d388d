@NullMarked
package dev.sluice.examples;

import org.jspecify.annotations.NullMarked;
