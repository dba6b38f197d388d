/**
 * Google Vertex AI's wire formats (not exported): Gemini and Claude under Vertex AI's paths, and the Google token endpoints the fake serves.
 */
@NullMarked
package dev.sluice.testkit.internal.wire.vertex;

import org.jspecify.annotations.NullMarked;
