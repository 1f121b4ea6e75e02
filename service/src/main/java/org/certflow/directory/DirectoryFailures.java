package org.certflow.directory;

import java.util.List;

import org.springframework.stereotype.Service;

/**
 * In-port: what keeps failing to reach the directory, for RA admins (RAMC dashboard and
 * {@code GET /api/v1/directory/failures}). Cockpit shows a publishing step as an incident
 * once its retries are spent; this shows it from the first failed attempt, and the CA
 * entries and removals that have no step of their own.
 */
@Service
public class DirectoryFailures {

	/** The most rows one listing returns. */
	public static final int LIMIT = 500;

	private final DirectoryEntries entries;

	DirectoryFailures(DirectoryEntries entries) {
		this.entries = entries;
	}

	/**
	 * @return the oldest failures first, at most {@link #LIMIT}
	 */
	public List<DirectoryFailure> list() {
		return this.entries.failures(LIMIT);
	}

	/**
	 * @return how many items are failing now
	 */
	public long count() {
		return this.entries.failureCount();
	}

}
