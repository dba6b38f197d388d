/**
 * Amazon Bedrock Runtime's wire formats (not exported): Converse and Anthropic-on-Bedrock answers in AWS event stream frames, the SigV4 check of a request, and AWS's credential endpoints (STS, container, IMDSv2) the fake serves.
 */
@NullMarked
package dev.sluice.testkit.internal.wire.bedrock;

import org.jspecify.annotations.NullMarked;
