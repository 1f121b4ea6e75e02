package org.certflow.batch;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code certflow.batch}: batch upload files.
 *
 * @param maxFileSize the largest file taken; larger ones get 413 before they are read
 * @param maxRowSize the longest row (record) taken; a file with a longer one is refused
 * whole
 * @param errorsShown how many row errors the batch's JSON and page show (the first ones,
 * by row); the error report has all of them
 * @param lease how long a node holds a running batch without moving it on; after that
 * another node (or this one after a restart) takes it over from its last row
 * @param sweepInterval how often each node looks for batches to run besides the upload
 * that wakes it
 */
@Validated
@ConfigurationProperties("certflow.batch")
public record BatchSettings(@NotNull DataSize maxFileSize, @NotNull DataSize maxRowSize, int errorsShown,
		@NotNull Duration lease, @NotNull Duration sweepInterval) {

	public BatchSettings {
		if (maxFileSize != null && maxFileSize.toBytes() < 1024) {
			throw new IllegalArgumentException("certflow.batch.max-file-size must be at least 1KB");
		}
		if (maxRowSize != null && (maxRowSize.toBytes() < 1024 || maxRowSize.toBytes() > 16 * 1024 * 1024)) {
			throw new IllegalArgumentException("certflow.batch.max-row-size must be between 1KB and 16MB");
		}
		if (errorsShown < 1 || errorsShown > 1000) {
			throw new IllegalArgumentException("certflow.batch.errors-shown must be between 1 and 1000");
		}
		if (lease != null && lease.compareTo(Duration.ofSeconds(5)) < 0) {
			throw new IllegalArgumentException("certflow.batch.lease must be at least 5 seconds");
		}
		if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero())) {
			throw new IllegalArgumentException("certflow.batch.sweep-interval must be positive");
		}
	}

}
