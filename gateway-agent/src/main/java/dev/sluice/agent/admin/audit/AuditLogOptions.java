package dev.sluice.agent.admin.audit;

/**
 * How the audit log file is kept.
 *
 * @param maxFileBytes the live file is rotated before an append would take it past this size
 * @param keepRotated rotated files kept ({@code audit.log.1} newest … {@code audit.log.N} oldest);
 *     older ones are deleted
 * @param fsync force each appended line to disk before {@code append} returns
 */
public record AuditLogOptions(long maxFileBytes, int keepRotated, boolean fsync) {

  public static final AuditLogOptions DEFAULTS = new AuditLogOptions(10L * 1024 * 1024, 5, true);

  public AuditLogOptions {
    if (maxFileBytes < 1024) {
      throw new IllegalArgumentException("maxFileBytes must be at least 1024, was " + maxFileBytes);
    }
    if (keepRotated < 1) {
      throw new IllegalArgumentException("keepRotated must be at least 1, was " + keepRotated);
    }
  }
}
