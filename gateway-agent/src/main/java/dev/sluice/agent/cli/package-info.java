/** The {@code sluice-agent} command line: {@code run}, {@code validate} and {@code --version}. */
@NullMarked
package dev.sluice.agent.cli;

import org.jspecify.annotations.NullMarked;
