package dev.sluice;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * The WireMock server of a test class: on 127.0.0.1 at a free port, started before the class's
 * first test, reset (stubs and requests) before each test, stopped after the last. Register it as
 * {@code @RegisterExtension static final WireMockExtension server = LoopbackWireMock.server();}.
 */
public final class LoopbackWireMock {
    private LoopbackWireMock() {}

    /** {@return a new extension, one per test class} */
    public static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
                .build();
    }
}
