package dev.sluice.relay.redis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS for a {@code rediss://} store, checked as HTTPS checks a server: the certificate chain
 * against the trusted CAs (the JDK's, {@code javax.net.ssl.trustStore} included, or only those of a
 * pinned CA file), and the host name or IP address each connection is made to (a seed, or a node a
 * cluster announced) against the certificate's subject alternative names, in the handshake, so
 * that nothing (no {@code AUTH}) is sent to a server that fails either.
 */
final class RedisTls {
    private RedisTls() {}

    /**
     * {@return new TLS parameters that verify the server's host name (endpoint identification
     * {@code HTTPS}) and leave the rest (protocols, cipher suites, server name) as the socket has it}
     */
    static SSLParameters verifyingHostName() {
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /**
     * {@return a TLS socket factory that trusts the CA certificates of a PEM file, and nothing else}
     *
     * @param pem a file of one or more PEM ({@code -----BEGIN CERTIFICATE-----}) certificates
     * @throws IllegalArgumentException if the file cannot be read or holds no certificate (the
     *     message names the file and says why)
     */
    static SSLSocketFactory trusting(Path pem) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CA file " + pem + ": " + e, e);
        }
        Collection<? extends Certificate> certificates;
        try {
            certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    "the CA file " + pem + " is not PEM certificates (-----BEGIN CERTIFICATE-----): " + e.getMessage(),
                    e);
        }
        if (certificates.isEmpty())
            throw new IllegalArgumentException(
                    "the CA file " + pem + " holds no certificate (-----BEGIN CERTIFICATE-----)");
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) store.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot trust the CA file " + pem + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return what a failed TLS handshake in a failure's causes was, for the log, or null when
     * the failure was no TLS handshake's}
     */
    static @Nullable String describe(Throwable failure) {
        List<Throwable> chain = new ArrayList<>(); // the causes, and theirs suppressed (a cluster's seeds tried)
        ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(failure));
        while (!todo.isEmpty() && chain.size() < 32) {
            Throwable t = todo.removeFirst();
            if (chain.contains(t)) continue;
            chain.add(t);
            if (t.getCause() != null) todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        Throwable tls = null;
        for (Throwable t : chain)
            if (t instanceof SSLException || t instanceof CertificateException) {
                tls = t;
                break;
            }
        if (tls == null) return null;
        String all = chain.stream()
                .map(t -> String.valueOf(t.getMessage()))
                .reduce("", (a, b) -> a + " " + b)
                .toLowerCase(Locale.ROOT);
        String detail = String.valueOf(tls.getMessage());
        if (all.contains("no subject alternative") || all.contains("no name matching"))
            return "TLS host-name verification failed: the server's certificate does not name the host or address"
                    + " it was reached at (" + detail + ")";
        if (all.contains("certification path") || all.contains("pkix"))
            return "TLS certificate not trusted: it is not signed by a trusted CA (pin Redis's CA: the store"
                    + " builder's trustedCa, serve's --store-ca, or javax.net.ssl.trustStore) (" + detail + ")";
        return "TLS handshake failed: " + detail;
    }
}
