package dev.sluice.agent.routing;

/**
 * A route that {@link RouteTable.Builder#build()} refused, and why; the table is built without it.
 *
 * @param index which {@link RouteTable.Builder#add add()} call (0-based), so config validation can
 *     name the field, e.g. {@code routes[3].match.path}
 * @param message what is wrong, without the field path
 */
public record RouteConflict(int index, String message) {}
