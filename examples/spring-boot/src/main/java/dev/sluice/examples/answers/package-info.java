@NullMarked
package dev.sluice.examples.answers;

import org.jspecify.annotations.NullMarked;
