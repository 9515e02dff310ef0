/** Traffic figures as the console computes them: histograms, percentiles, fleet merging, formatting. */
@NullMarked
package dev.sluice.console.telemetry;

import org.jspecify.annotations.NullMarked;
