package dev.sluice.console.attach;

import org.jspecify.annotations.Nullable;

/**
 * A saved way to reach one gateway: name, admin address, TLS material paths and the view-only
 * switch. It has no token field on purpose, so a token cannot be written with it.
 */
public record ConnectionProfile(
    String name,
    String address,
    boolean tls,
    @Nullable String caFile,
    @Nullable String clientCert,
    @Nullable String clientKey,
    boolean viewOnly) {}
