package org.certflow.directory;

import java.time.Instant;

/**
 * Something that keeps failing to reach the directory; it is tried again (the publishing
 * step by its job, CA entries and removals by the next sync) until it works.
 *
 * @param item the request id, or CA:ISSUING / CA:ROOT for a CA entry
 * @param kind CERTIFICATE (a holder's certificate) or CA
 * @param entryDn the entry, once known
 * @param failedAttempts failed attempts since the last success
 * @param failingSince the first of them
 * @param lastFailureAt the newest
 * @param lastError what went wrong, as the directory or the network said
 */
public record DirectoryFailure(String item, String kind, String entryDn, int failedAttempts, Instant failingSince,
		Instant lastFailureAt, String lastError) {
}
