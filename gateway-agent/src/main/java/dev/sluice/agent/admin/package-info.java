/**
 * The admin gRPC server: its listener, TLS and authentication, and the services that read the
 * agent's events, audit log and telemetry. Only the gRPC-facing classes import generated proto types.
 */
@NullMarked
package dev.sluice.agent.admin;

import org.jspecify.annotations.NullMarked;
