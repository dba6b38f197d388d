/**
 * The Google Gemini API's wire format (not exported): {@code :generateContent} and {@code :streamGenerateContent} requests and answers.
 */
@NullMarked
package dev.sluice.testkit.internal.wire.gemini;

import org.jspecify.annotations.NullMarked;
