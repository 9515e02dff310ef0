/** The console's only link to a gateway: the gRPC client, its connection state, and the one hand-off onto the FX thread. */
@NullMarked
package dev.sluice.console.connection;

import org.jspecify.annotations.NullMarked;
