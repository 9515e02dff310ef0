/**
 * Request routing: {@link dev.sluice.agent.routing.PathNormalizer} makes a raw path canonical, then an
 * immutable {@link dev.sluice.agent.routing.RouteTable} picks the route for (host, method, path).
 *
 * <p>Matching rules. A pattern is a sequence of segments: static text, {@code :name} (one whole
 * segment, never empty) or a final {@code *name} (the rest of the path, possibly empty; {@code
 * /static/*path} matches {@code /static/} and {@code /static/a/b} but not {@code /static}). A {@code
 * :} or {@code *} inside a segment is literal text. At every position static text beats a parameter,
 * which beats a wildcard, whatever the order the routes were added in; when the preferred branch
 * dead-ends the lookup backtracks, so with {@code /users/new} and {@code /users/:id/profile} the path
 * {@code /users/new/profile} matches the parameter route. Methods are part of the match: a route that
 * names methods beats a route for any method at the same pattern, {@code GET} also serves {@code
 * HEAD}, and a path that some route matches for other methods only is answered 405 with an {@code
 * Allow} header. Paths are case-sensitive and {@code /users} differs from {@code /users/} (no
 * trailing-slash redirect); hosts are case-insensitive, ignore a port, and an unknown host uses the
 * default host's routes.
 */
@NullMarked
package dev.sluice.agent.routing;

import org.jspecify.annotations.NullMarked;
