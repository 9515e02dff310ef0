/** An in-process simulated gateway for demo mode, serving the real admin gRPC API on loopback. */
@NullMarked
package dev.sluice.console.demo;

import org.jspecify.annotations.NullMarked;
