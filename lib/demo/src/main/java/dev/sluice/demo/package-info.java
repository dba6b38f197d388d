/**
 * The {@code sluice} tool's demo model (not exported): replies on topics, creative texts, code,
 * recipes and follow-ups drawn from the prompt, and structured answers filled from it, spoken
 * through the test kit's server by {@link dev.sluice.demo.DemoVoice}.
 */
@NullMarked
package dev.sluice.demo;

import org.jspecify.annotations.NullMarked;
