/**
 * What every wire format of the fake server shares (not exported): the parsed request ({@code FakeRequest}), the planned answer ({@code Reply}), the API errors a request is refused with, the token estimates and ids, and the contract ({@code WireFormat}) each provider's reader and writer implements.
 */
@NullMarked
package dev.sluice.testkit.internal.wire;

import org.jspecify.annotations.NullMarked;
