@NullMarked
package dev.sluice.examples.tomcat;

import org.jspecify.annotations.NullMarked;
