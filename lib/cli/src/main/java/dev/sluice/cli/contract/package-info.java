@NullMarked
package dev.sluice.cli.contract;

import org.jspecify.annotations.NullMarked;
