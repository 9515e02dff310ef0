/** Test certificates (CA, server, client, expired) made at run time with BouncyCastle. */
@NullMarked
package dev.sluice.agent.testing.tls;

import org.jspecify.annotations.NullMarked;
