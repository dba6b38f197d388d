/**
 * Sluice's Spring Boot auto-configuration: provider clients and a fallback chain from the
 * {@code sluice.*} properties ({@link dev.sluice.springboot.SluiceProperties},
 * {@link dev.sluice.springboot.SluiceAutoConfiguration}), the relay's servlet on the application's
 * own container ({@link dev.sluice.springboot.SluiceServerAutoConfiguration}), and Micrometer meters
 * of every stream ({@link dev.sluice.springboot.SluiceMetricsAutoConfiguration}). Every bean gives
 * way to the application's own. Nulls are not accepted unless a method says so.
 */
@NullMarked
package dev.sluice.springboot;

import org.jspecify.annotations.NullMarked;
