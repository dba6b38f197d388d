package dev.sluice.springboot;

import dev.sluice.chat.FallbackChain;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.ServerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sluice.server.*} properties: where the relay's servlet is mounted, and the rules and
 * limits of {@code sluice serve}'s flags. {@link #toString()} never shows the token. Not
 * thread-safe: Spring binds it once, at startup.
 */
public class SluiceServerProperties {
    /** Mount the relay's servlet (its API, the chat page, WebSocket, the frontends' protocols) on the application's container. */
    private boolean enabled;

    /** Where the servlet is mounted: the page at PATH/, the API at PATH/api/..., the gateway at PATH/v1/... ("/" for the root). */
    private String path = "/sluice";

    /** The page's default provider (default: the fallback chain's first, else the first configured). */
    private @Nullable String provider;

    /** Required of every API request and of the page (Authorization: Bearer TOKEN, or the cookie /?token=TOKEN sets); at least 16 characters. Never logged. */
    private @Nullable String token;

    /** Serve beyond loopback without a token: anyone who reaches the server spends your keys. */
    private boolean noToken;

    /** Origins (https://app.example.com) whose pages may call the API, with CORS headers; others get 403. */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Host names the server also answers to, such as a reverse proxy's; others get 403. */
    private List<String> allowedHosts = new ArrayList<>();

    /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For (or Forwarded) names the client. */
    private List<String> trustedProxies = new ArrayList<>();

    /** Time without an event before a client gets a ping. */
    private Duration heartbeat = Relay.DEFAULT_HEARTBEAT;

    /** How long a stream whose client left keeps running for a resume (0: cancel at once). */
    private Duration resumeWindow = Relay.DEFAULT_RESUME_WINDOW;

    /** Streams running at once, in all. */
    private int maxStreams = ServerSpec.DEFAULT_MAX_STREAMS;

    /** Streams running at once per client address. */
    private int maxStreamsPerClient = RelayAdmission.DEFAULT_MAX_STREAMS_PER_CLIENT;

    /** Streams started per client address per minute, 429 past it (0: no limit). */
    private int maxCreationsPerMinute = ServerSpec.DEFAULT_MAX_CREATIONS_PER_MINUTE;

    /** Chat resumes per client address per minute that find no chat of the client's, 429 past them (0: no limit). */
    private int maxFailedResumesPerMinute = RelayAdmission.DEFAULT_MAX_FAILED_RESUMES_PER_MINUTE;

    /** The largest maxTokens a request may ask for. */
    private int maxTokens = ServerSpec.DEFAULT_MAX_TOKENS;

    /** The models each provider offers, others 400 (default each provider's configured model only; PROVIDER: "*" for any). */
    private Map<String, List<String>> models = new LinkedHashMap<>();

    /**
     * Routes: a model name (the key) on every front door, the page's list and /api/providers, served by a
     * fallback chain over its targets in order, each PROVIDER or PROVIDER:MODEL (as sluice.fallback's), with
     * sluice.hedge-after's hedging; serve's --route.
     */
    private Map<String, List<String>> routes = new LinkedHashMap<>();

    /** How long a request's body may take to arrive whole, 408 past it. */
    private Duration bodyTimeout = RelayAdmission.DEFAULT_BODY_TIMEOUT;

    /**
     * How long the gateway waits for an answer asked for without a stream, from its upstream request
     * to the end of its body; the door's 504 past it (GatewayHttp.Builder.answerTimeout).
     */
    private Duration answerTimeout = GatewayHttp.DEFAULT_ANSWER_TIMEOUT;

    /** The largest request body, in bytes. */
    private int maxRequestBytes = RelayAdmission.DEFAULT_MAX_REQUEST_BYTES;

    /** Each stream's replay buffer, in UTF-8 bytes. */
    private long replayBytes = ServerSpec.DEFAULT_REPLAY_BYTES;

    /** One log line per stream (time, client, stream, provider, model, tokens, end, duration) on the logger dev.sluice.relay.access. */
    private boolean accessLog = true;

    /** Serve the chat page at PATH/. */
    private boolean page = true;

    /** Serve the OpenAI-compatible gateway at PATH/v1/chat/completions and PATH/v1/models. */
    private boolean gateway = true;

    /** Take the Responses API over a WebSocket at PATH/v1/responses (false: its upgrade is answered 426; POST still works); serve's --no-responses-websocket. */
    private boolean responsesWebSocket = true;

    /** How long a route's target whose answer broke off is asked last by that route, so that a client's retry goes to the next (0: none); serve's --failover-cooldown. */
    private Duration failoverCooldown = FallbackChain.DEFAULT_COOLDOWN;

    /** {@return whether the servlet is mounted} */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether the servlet is mounted.
     *
     * @param enabled whether the servlet is mounted
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return the mount path} */
    public String getPath() {
        return path;
    }

    /**
     * Sets the mount path.
     *
     * @param path the mount path
     */
    public void setPath(String path) {
        this.path = path;
    }

    /** {@return the page's default provider, or null} */
    public @Nullable String getProvider() {
        return provider;
    }

    /**
     * Sets the page's default provider.
     *
     * @param provider the page's default provider
     */
    public void setProvider(@Nullable String provider) {
        this.provider = provider;
    }

    /** {@return the token, or null} */
    public @Nullable String getToken() {
        return token;
    }

    /**
     * Sets the token.
     *
     * @param token the token
     */
    public void setToken(@Nullable String token) {
        this.token = token;
    }

    /** {@return whether to serve beyond loopback without a token} */
    public boolean isNoToken() {
        return noToken;
    }

    /**
     * Sets whether to serve beyond loopback without a token.
     *
     * @param noToken whether to serve beyond loopback without a token
     */
    public void setNoToken(boolean noToken) {
        this.noToken = noToken;
    }

    /** {@return the allowed origins} */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Sets the allowed origins.
     *
     * @param allowedOrigins the allowed origins
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /** {@return the allowed host names} */
    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    /**
     * Sets the allowed host names.
     *
     * @param allowedHosts the allowed host names
     */
    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    /** {@return the trusted proxies} */
    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    /**
     * Sets the trusted proxies.
     *
     * @param trustedProxies the trusted proxies
     */
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** {@return the heartbeat interval} */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    /**
     * Sets the heartbeat interval.
     *
     * @param heartbeat the heartbeat interval
     */
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** {@return the resume window} */
    public Duration getResumeWindow() {
        return resumeWindow;
    }

    /**
     * Sets the resume window.
     *
     * @param resumeWindow the resume window
     */
    public void setResumeWindow(Duration resumeWindow) {
        this.resumeWindow = resumeWindow;
    }

    /** {@return the streams at once} */
    public int getMaxStreams() {
        return maxStreams;
    }

    /**
     * Sets the streams at once.
     *
     * @param maxStreams the streams at once
     */
    public void setMaxStreams(int maxStreams) {
        this.maxStreams = maxStreams;
    }

    /** {@return the streams at once per client} */
    public int getMaxStreamsPerClient() {
        return maxStreamsPerClient;
    }

    /**
     * Sets the streams at once per client.
     *
     * @param maxStreamsPerClient the streams at once per client
     */
    public void setMaxStreamsPerClient(int maxStreamsPerClient) {
        this.maxStreamsPerClient = maxStreamsPerClient;
    }

    /** {@return the creations per client per minute} */
    public int getMaxCreationsPerMinute() {
        return maxCreationsPerMinute;
    }

    /**
     * Sets the creations per client per minute.
     *
     * @param maxCreationsPerMinute the creations per client per minute
     */
    public void setMaxCreationsPerMinute(int maxCreationsPerMinute) {
        this.maxCreationsPerMinute = maxCreationsPerMinute;
    }

    /** {@return the failed resumes per client per minute} */
    public int getMaxFailedResumesPerMinute() {
        return maxFailedResumesPerMinute;
    }

    /**
     * Sets the failed resumes per client per minute.
     *
     * @param maxFailedResumesPerMinute the failed resumes per client per minute
     */
    public void setMaxFailedResumesPerMinute(int maxFailedResumesPerMinute) {
        this.maxFailedResumesPerMinute = maxFailedResumesPerMinute;
    }

    /** {@return the largest maxTokens} */
    public int getMaxTokens() {
        return maxTokens;
    }

    /**
     * Sets the largest maxTokens.
     *
     * @param maxTokens the largest maxTokens
     */
    public void setMaxTokens(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    /** {@return the routes: each alias's targets} */
    public Map<String, List<String>> getRoutes() {
        return routes;
    }

    /**
     * Sets the routes.
     *
     * @param routes each alias's targets, PROVIDER or PROVIDER:MODEL, in order
     */
    public void setRoutes(Map<String, List<String>> routes) {
        this.routes = routes;
    }

    /** {@return the model lists by provider} */
    public Map<String, List<String>> getModels() {
        return models;
    }

    /**
     * Sets the model lists by provider.
     *
     * @param models the model lists by provider
     */
    public void setModels(Map<String, List<String>> models) {
        this.models = models;
    }

    /** {@return the body timeout} */
    public Duration getBodyTimeout() {
        return bodyTimeout;
    }

    /**
     * Sets the body timeout.
     *
     * @param bodyTimeout the body timeout
     */
    public void setBodyTimeout(Duration bodyTimeout) {
        this.bodyTimeout = bodyTimeout;
    }

    /** {@return the gateway's answer timeout} */
    public Duration getAnswerTimeout() {
        return answerTimeout;
    }

    /**
     * Sets the gateway's answer timeout.
     *
     * @param answerTimeout the answer timeout; positive (checked when the server starts)
     */
    public void setAnswerTimeout(Duration answerTimeout) {
        this.answerTimeout = answerTimeout;
    }

    /** {@return the largest request body} */
    public int getMaxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * Sets the largest request body.
     *
     * @param maxRequestBytes the largest request body
     */
    public void setMaxRequestBytes(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    /** {@return each stream's replay bytes} */
    public long getReplayBytes() {
        return replayBytes;
    }

    /**
     * Sets each stream's replay bytes.
     *
     * @param replayBytes each stream's replay bytes
     */
    public void setReplayBytes(long replayBytes) {
        this.replayBytes = replayBytes;
    }

    /** {@return whether each stream is logged} */
    public boolean isAccessLog() {
        return accessLog;
    }

    /**
     * Sets whether each stream is logged.
     *
     * @param accessLog whether each stream is logged
     */
    public void setAccessLog(boolean accessLog) {
        this.accessLog = accessLog;
    }

    /** {@return whether the page is served} */
    public boolean isPage() {
        return page;
    }

    /**
     * Sets whether the page is served.
     *
     * @param page whether the page is served
     */
    public void setPage(boolean page) {
        this.page = page;
    }

    /** {@return whether the gateway is served} */
    public boolean isGateway() {
        return gateway;
    }

    /**
     * Sets whether the gateway is served.
     *
     * @param gateway whether the gateway is served
     */
    public void setGateway(boolean gateway) {
        this.gateway = gateway;
    }

    /** {@return whether the Responses API takes a WebSocket} */
    public boolean isResponsesWebSocket() {
        return responsesWebSocket;
    }

    /**
     * Sets whether the Responses API takes a WebSocket.
     *
     * @param responsesWebSocket whether PATH/v1/responses takes a WebSocket
     */
    public void setResponsesWebSocket(boolean responsesWebSocket) {
        this.responsesWebSocket = responsesWebSocket;
    }

    /** {@return how long a route's target that broke off is asked last} */
    public Duration getFailoverCooldown() {
        return failoverCooldown;
    }

    /**
     * Sets how long a route's target that broke off is asked last.
     *
     * @param failoverCooldown zero or more
     */
    public void setFailoverCooldown(Duration failoverCooldown) {
        this.failoverCooldown = failoverCooldown;
    }

    /** Shows the mount and the rules, never the token. */
    @Override
    public String toString() {
        return "[enabled=" + enabled + ", path=" + path + ", token=" + (token == null ? "(not set)" : "(hidden)")
                + ", allowedOrigins=" + allowedOrigins + ", allowedHosts=" + allowedHosts + ", trustedProxies="
                + trustedProxies + "]";
    }
}
