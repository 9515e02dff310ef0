@NullMarked
package dev.sluice.agent.filter;

import org.jspecify.annotations.NullMarked;
