package org.certflow.batch;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.certflow.request.CertificateClass;
import org.certflow.request.CertificateClasses;
import org.certflow.request.CertificateRequest;
import org.certflow.request.EnterRequestOnBehalf;
import org.certflow.request.InviteApplicant;
import org.certflow.request.KeySource;
import org.certflow.request.RequestException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One row of a batch, one transaction: the request the row asks for (through the same use
 * case as a single invitation or request on the applicant's behalf, so with the same
 * checks and words), the row's record and the batch's progress commit together, so a
 * batch resumed after a crash neither skips nor repeats a row.
 *
 * <p>
 * A row is the same row as an earlier one, in any batch, when its email address (in any
 * case), certificate class and CSR (its PEM text without white space; none for an
 * invitation) are the same: that is its row key, unique in {@code batch_row}. Such a row
 * creates nothing and is counted as skipped.
 */
@Service
class BatchRows {

	private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

	private final BatchStore store;

	private final InviteApplicant invite;

	private final EnterRequestOnBehalf enterOnBehalf;

	private final CertificateClasses classes;

	private final Clock clock;

	BatchRows(BatchStore store, InviteApplicant invite, EnterRequestOnBehalf enterOnBehalf, CertificateClasses classes,
			Clock clock) {
		this.store = store;
		this.invite = invite;
		this.enterOnBehalf = enterOnBehalf;
		this.classes = classes;
		this.clock = clock;
	}

	/**
	 * Creates the row's request and moves the batch past it.
	 * @param batch the batch
	 * @param layout its columns
	 * @param record the row
	 * @param fromRow the batch's next row as this node read it
	 * @param node this node
	 * @param leaseUntil the batch's new lease
	 * @return the request made, or empty when an earlier row made it already
	 * @throws RequestException when the row is refused (nothing of it stays)
	 * @throws LostLeaseException when this node no longer holds the batch (nothing of it
	 * stays)
	 */
	@Transactional
	public Optional<String> create(Batch batch, Column.Layout layout, CsvReader.Record record, int fromRow, String node,
			Instant leaseUntil) {
		Map<Column, String> cells = layout.cells(record.fields());
		String email = cells.get(Column.EMAIL);
		String certificateClass = cells.get(Column.CERTIFICATE_CLASS);
		String csrPem = cells.get(Column.CSR_PEM);
		String key = rowKey(email, certificateClass, layout.has(Column.CSR_PEM) ? csrPem : null);
		if (this.store.rowByKey(key).isPresent()) {
			advance(batch, record, fromRow, node, 0, 1, leaseUntil);
			return Optional.empty();
		}
		CertificateRequest request;
		if (!layout.has(Column.CSR_PEM)) {
			request = this.invite.invite(email, cells.get(Column.FULL_NAME), certificateClass, batch.uploadedBy());
		}
		else if (csrPem == null || csrPem.isBlank()) {
			request = serverKeyRow(batch, cells);
		}
		else {
			EnterRequestOnBehalf.Entered entered = this.enterOnBehalf.enter(
					new EnterRequestOnBehalf.Entry(email, cells.get(Column.FULL_NAME), certificateClass,
							cells.get(Column.PHONE), cells.get(Column.ORGANISATION), csrPem),
					"batch-" + key.substring(0, 58), batch.uploadedBy());
			request = entered.request();
		}
		this.store.insertRow(key, batch.batchId(), record.row(), request.getRequestId(), this.clock.instant());
		this.store.markRequest(request.getRequestId(), batch.batchId());
		advance(batch, record, fromRow, node, 0, 0, leaseUntil);
		return Optional.of(request.getRequestId());
	}

	/**
	 * Records a refused row and moves the batch past it.
	 * @param message why, in the words the use case gave
	 * @throws LostLeaseException when this node no longer holds the batch (the node that
	 * holds it records the row)
	 */
	@Transactional
	public void refuse(Batch batch, Column.Layout layout, CsvReader.Record record, int fromRow, String node,
			String message, Instant leaseUntil) {
		this.store.insertError(batch.batchId(), record.row(), cell(layout, record, Column.EMAIL),
				cell(layout, record, Column.CERTIFICATE_CLASS), message);
		advance(batch, record, fromRow, node, 1, 0, leaseUntil);
	}

	/**
	 * A row without a CSR in a file with a csrPem column asks the server to make the key.
	 * The server makes a key only under a password the applicant chose (the escrow of
	 * {@code SubmitApplication}, which no RA admin may know), so such a row becomes an
	 * invitation: the applicant chooses "let the server make my key" and the password in
	 * the application form. A class that does not let the server make keys refuses the
	 * row.
	 */
	private CertificateRequest serverKeyRow(Batch batch, Map<Column, String> cells) {
		String name = cells.get(Column.CERTIFICATE_CLASS);
		Optional<CertificateClass> cls = (name == null || name.isBlank()) ? Optional.empty()
				: this.classes.findById(name);
		if (cls.isPresent() && !KeySource.SERVER.allowedBy(cls.get())) {
			throw new RequestException(RequestException.Kind.INVALID,
					"csrPem is empty, and the class " + cls.get().getName()
							+ " does not let the server make keys (it takes: "
							+ cls.get().getKeySources().replace(",", ", ")
							+ "). Put the applicant's CSR in csrPem, or choose a class that takes SERVER.");
		}
		return this.invite.invite(cells.get(Column.EMAIL), cells.get(Column.FULL_NAME), name, batch.uploadedBy());
	}

	private void advance(Batch batch, CsvReader.Record record, int fromRow, String node, int failed, int skipped,
			Instant leaseUntil) {
		if (!this.store.advance(batch.batchId(), node, fromRow, record.row() + 1, record.end(), failed, skipped,
				leaseUntil)) {
			throw new LostLeaseException();
		}
	}

	private static String cell(Column.Layout layout, CsvReader.Record record, Column column) {
		int index = layout.order().indexOf(column);
		return (index >= 0 && index < record.fields().size()) ? record.fields().get(index) : null;
	}

	/**
	 * @return SHA-256 (hex) of the email address in lower case, the class and the CSR
	 * without white space, each stripped
	 */
	static String rowKey(String email, String certificateClass, String csrPem) {
		String text = String.valueOf(email).strip().toLowerCase(Locale.ROOT) + "\n"
				+ String.valueOf(certificateClass).strip() + "\n"
				+ ((csrPem != null) ? WHITE_SPACE.matcher(csrPem).replaceAll("") : "");
		return HexFormat.of().formatHex(BatchFile.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * This node no longer holds the batch: another took it over after its lease ran out.
	 */
	static final class LostLeaseException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		LostLeaseException() {
			super("The batch is held by another node now");
		}

	}

}
