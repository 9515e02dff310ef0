/**
 * Service discovery: where a service's instances are. One {@link
 * dev.sluice.agent.discovery.ServiceRegistry} per service delivers immutable instance lists and its
 * own freshness to a listener; providers are {@code static} (the config file) and {@code consul}
 * (Consul's health API with blocking queries). Settings come from a service's {@code registry:} block
 * through {@link dev.sluice.agent.discovery.RegistrySettings#parse}. Semantics: {@code
 * gateway-agent/docs/discovery.md}.
 */
@NullMarked
package dev.sluice.agent.discovery;

import org.jspecify.annotations.NullMarked;
