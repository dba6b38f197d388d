/**
 * The demo model's answers (not exported): replies on topics, creative texts, code, recipes and follow-ups drawn from the prompt, which the planner's text comes from.
 */
@NullMarked
package dev.sluice.testkit.internal.demo;

import org.jspecify.annotations.NullMarked;
