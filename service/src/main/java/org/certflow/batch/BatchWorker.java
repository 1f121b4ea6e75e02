package org.certflow.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;

import org.certflow.request.RequestException;
import org.certflow.support.LockConflictRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Runs stored batches, row by row, on one thread per node. Woken by each upload, at
 * start-up (batches a crash or a shutdown left unfinished go on from their last row) and
 * by a sweep that takes over batches whose node stopped renewing its lease. A node holds
 * a batch by a lease it renews with every row, so two nodes never run one batch at once.
 */
@Component
class BatchWorker {

	private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

	/** A row that lost a lock conflict or a race on its row key is tried this often. */
	private static final int ATTEMPTS = 3;

	private final String node = UUID.randomUUID().toString();

	private final BatchStore store;

	private final BatchRows rows;

	private final BatchSettings settings;

	private final Clock clock;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "batch-worker");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean running = new AtomicBoolean();

	private final AtomicBoolean woken = new AtomicBoolean();

	private volatile boolean ready;

	private volatile boolean stopping;

	BatchWorker(BatchStore store, BatchRows rows, BatchSettings settings, Clock clock) {
		this.store = store;
		this.rows = rows;
		this.settings = settings;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void started() {
		this.ready = true;
		wake();
	}

	@Scheduled(fixedDelayString = "${certflow.batch.sweep-interval}")
	void sweep() {
		wake();
	}

	/** Runs every batch that waits, now or right after the batch being run. */
	void wake() {
		this.woken.set(true);
		if (this.ready && !this.stopping && this.running.compareAndSet(false, true)) {
			this.executor.execute(this::drain);
		}
	}

	private void drain() {
		try {
			while (this.woken.getAndSet(false) && !this.stopping) {
				for (String batchId : this.store.claimable(this.clock.instant())) {
					if (this.stopping) {
						break;
					}
					Instant now = this.clock.instant();
					if (this.store.claim(batchId, this.node, now, now.plus(this.settings.lease()))) {
						run(batchId);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// The database may be away; the sweep tries again, and a lease this node
			// holds runs out for another to take over.
			log.warn("Running batches failed; the next sweep tries again: {}", ex.toString());
		}
		finally {
			this.running.set(false);
		}
		if (this.woken.get()) {
			wake();
		}
	}

	private void run(String batchId) {
		Batch batch = this.store.find(batchId).orElseThrow();
		Column.Layout layout = Column.Layout.parse(batch.columns());
		int fromRow = batch.nextRow();
		try (CsvReader reader = new CsvReader(new StoredFile(this.store, batchId, batch.nextOffset()),
				batch.nextOffset(), batch.nextRow(), (int) this.settings.maxRowSize().toBytes())) {
			while (!this.stopping) {
				CsvReader.Record record = reader.next();
				if (record == null) {
					this.store.finish(batchId, this.node, this.clock.instant());
					log.info("Batch {} done", batchId);
					return;
				}
				if (!row(batch, layout, record, fromRow)) {
					return;
				}
				fromRow = record.row() + 1;
			}
			this.store.release(batchId, this.node);
		}
		catch (CsvReader.CsvFormatException ex) {
			// The file was checked whole at upload; a stored file that reads otherwise
			// was changed in the database.
			throw new IllegalStateException("Stored batch " + batchId + " no longer reads as CSV: " + ex.getMessage(),
					ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return whether this node still holds the batch
	 */
	private boolean row(Batch batch, Column.Layout layout, CsvReader.Record record, int fromRow) {
		for (int attempt = 1;; attempt++) {
			try {
				this.rows.create(batch, layout, record, fromRow, this.node, leaseUntil());
				return true;
			}
			catch (BatchRows.LostLeaseException ex) {
				return lost(batch, record);
			}
			catch (RequestException ex) {
				return refuse(batch, layout, record, fromRow, ex.getMessage());
			}
			catch (RuntimeException ex) {
				// The same row in another batch at this moment (its row key), or a lock
				// conflict: the next attempt finds the row made, or gets the lock.
				boolean race = ex instanceof DataIntegrityViolationException || LockConflictRetry.isLockConflict(ex);
				if (race && attempt < ATTEMPTS) {
					continue;
				}
				if (ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException
						|| ex instanceof TransactionException) {
					// The database is away: this row is tried again when it is back.
					throw ex;
				}
				log.error("Batch {} row {} failed", batch.batchId(), record.row(), ex);
				return refuse(batch, layout, record, fromRow,
						"This row could not be processed because of an error on the server (logged for the "
								+ "administrators). Nothing of it was stored; upload it again in a new file.");
			}
		}
	}

	private boolean refuse(Batch batch, Column.Layout layout, CsvReader.Record record, int fromRow, String message) {
		try {
			this.rows.refuse(batch, layout, record, fromRow, this.node, message, leaseUntil());
			return true;
		}
		catch (BatchRows.LostLeaseException ex) {
			return lost(batch, record);
		}
	}

	private boolean lost(Batch batch, CsvReader.Record record) {
		log.info("Batch {} was taken over by another node at row {}", batch.batchId(), record.row());
		return false;
	}

	private Instant leaseUntil() {
		return this.clock.instant().plus(this.settings.lease());
	}

	/**
	 * At shutdown the row being handled is finished, not interrupted (an interrupt during
	 * H2's file I/O closes the database for the whole JVM), and the batch is given back.
	 */
	@PreDestroy
	void stop() throws InterruptedException {
		this.stopping = true;
		this.executor.shutdown();
		if (!this.executor.awaitTermination(30, TimeUnit.SECONDS)) {
			log.warn("The batch worker did not stop within 30 s");
		}
	}

}
