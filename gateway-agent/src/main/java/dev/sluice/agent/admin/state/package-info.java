/** Runtime changes persisted beside the config file so that they survive a restart. */
@NullMarked
package dev.sluice.agent.admin.state;

import org.jspecify.annotations.NullMarked;
