package org.certflow.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.certflow.request.RequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.InputStreamSource;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * In-port: an RA admin uploads a batch file. The file is checked whole as it streams past
 * (nothing is stored for a bad file), then stored with its batch in one transaction: when
 * this returns, the batch is committed and runs even if the node dies right after. The
 * file's SHA-256 names it: the same file again returns the batch it made, and two uploads
 * of one file at the same moment meet on the unique content hash, where one stores and
 * the other waits for it and returns its batch.
 */
@Service
public class UploadBatch {

	private static final Logger log = LoggerFactory.getLogger(UploadBatch.class);

	/** How long the loser of two concurrent uploads waits for the winner to commit. */
	private static final Duration TWIN_WAIT = Duration.ofSeconds(60);

	private final BatchStore store;

	private final BatchSettings settings;

	private final BatchWorker worker;

	private final TransactionTemplate transaction;

	private final Clock clock;

	UploadBatch(BatchStore store, BatchSettings settings, BatchWorker worker, PlatformTransactionManager transactions,
			Clock clock) {
		this.store = store;
		this.settings = settings;
		this.worker = worker;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/**
	 * @param fileName the name of the file on the admin's machine, or {@code null}
	 * @param size its size in bytes (the caller has refused files over the limit)
	 * @param content the file; read twice (check, then store)
	 * @param admin the RA admin
	 * @return the batch, and whether this call made it
	 * @throws RequestException INVALID for a file that is not a batch file
	 */
	public Uploaded upload(String fileName, long size, InputStreamSource content, String admin) {
		if (size > this.settings.maxFileSize().toBytes()) {
			throw new RequestException(RequestException.Kind.INVALID, "The file is larger than "
					+ this.settings.maxFileSize().toMegabytes() + " MB; split it into smaller files.");
		}
		BatchFile.Scanned scanned;
		try (InputStream in = content.getInputStream()) {
			scanned = BatchFile.scan(in, (int) this.settings.maxRowSize().toBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Optional<Batch> earlier = this.store.findByContent(scanned.sha256());
		if (earlier.isPresent()) {
			return new Uploaded(earlier.get(), false);
		}
		Instant deadline = this.clock.instant().plus(TWIN_WAIT);
		for (;;) {
			try {
				Batch batch = this.transaction.execute((status) -> store(fileName, size, content, admin, scanned));
				log.info("Batch {} uploaded by {}: {} rows", batch.batchId(), admin, batch.total());
				this.worker.wake();
				return new Uploaded(batch, true);
			}
			catch (DataIntegrityViolationException | ConcurrencyFailureException ex) {
				// The same file is being stored by another upload right now.
				earlier = this.store.findByContent(scanned.sha256());
				if (earlier.isPresent()) {
					return new Uploaded(earlier.get(), false);
				}
				if (this.clock.instant().isAfter(deadline)) {
					throw ex;
				}
				pause();
			}
		}
	}

	private Batch store(String fileName, long size, InputStreamSource content, String admin,
			BatchFile.Scanned scanned) {
		Batch batch = new Batch(UUID.randomUUID().toString(), scanned.sha256(), cut(fileName), size,
				scanned.layout().stored(), admin, this.clock.instant(), Batch.QUEUED, scanned.rows(), 0, 0, 0, 2,
				scanned.dataOffset(), null);
		// First, so that a concurrent upload of the same file stops on the unique hash
		// before either writes its chunks.
		this.store.insert(batch);
		MessageDigest sha256 = BatchFile.sha256();
		try (InputStream in = content.getInputStream()) {
			int seq = 0;
			for (;;) {
				byte[] chunk = in.readNBytes(BatchStore.CHUNK);
				if (chunk.length == 0) {
					break;
				}
				sha256.update(chunk);
				this.store.insertChunk(batch.batchId(), seq++, chunk);
				if (chunk.length < BatchStore.CHUNK) {
					break;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!HexFormat.of().formatHex(sha256.digest()).equals(scanned.sha256())) {
			throw new IllegalStateException("The uploaded file changed between its check and its storage");
		}
		return batch;
	}

	private static String cut(String fileName) {
		if (fileName == null || fileName.isBlank()) {
			return null;
		}
		String name = fileName.replaceAll("\\p{Cntrl}", "_");
		return (name.length() > 255) ? name.substring(0, 255) : name;
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a concurrent upload", ex);
		}
	}

	/**
	 * @param batch the batch
	 * @param created whether this upload made it (false: the same file made it before)
	 */
	public record Uploaded(Batch batch, boolean created) {
	}

}
