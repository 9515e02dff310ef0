/** The Sluice gateway agent: data plane, control plane and admin server. */
@NullMarked
package dev.sluice.agent;

import org.jspecify.annotations.NullMarked;
