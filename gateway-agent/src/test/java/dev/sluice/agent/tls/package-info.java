@NullMarked
package dev.sluice.agent.tls;

import org.jspecify.annotations.NullMarked;
