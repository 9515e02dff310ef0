/** Who is calling the admin API (bearer token or client certificate) and what they may do. */
@NullMarked
package dev.sluice.agent.admin.auth;

import org.jspecify.annotations.NullMarked;
