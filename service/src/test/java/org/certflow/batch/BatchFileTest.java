package org.certflow.batch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.certflow.request.RequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batch file reader: RFC 4180 records with exact offsets, strict UTF-8, flat memory;
 * the whole-file check at upload; the report's cells; the row key.
 */
class BatchFileTest {

	private static final int LIMIT = 64 * 1024;

	@Test
	void readsQuotedCellsWithCommasQuotesAndLineBreaks() throws Exception {
		List<CsvReader.Record> records = read(
				"email,csrPem\r\n\"a@example.org\",\"-----BEGIN\nx,y \"\"z\"\"\n-----END\"\r\n" + "b@example.org,\n");
		assertThat(records).hasSize(3);
		assertThat(records.get(1).fields()).containsExactly("a@example.org", "-----BEGIN\nx,y \"z\"\n-----END");
		assertThat(records.get(2).fields()).containsExactly("b@example.org", "");
		assertThat(records.get(2).row()).isEqualTo(3);
	}

	@Test
	void skipsAByteOrderMarkAndBlankLinesButKeepsTheRowNumbersASpreadsheetShows() throws Exception {
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		String text = "email\n\na@example.org\r\n\r\nb@example.org";
		byte[] bytes = concat(bom, text.getBytes(StandardCharsets.UTF_8));
		List<CsvReader.Record> records = read(bytes);
		assertThat(records).extracting(CsvReader.Record::row).containsExactly(1, 3, 5);
		assertThat(records.get(0).fields()).containsExactly("email");
		assertThat(records.get(0).start()).isEqualTo(3);
		assertThat(records.get(2).fields()).containsExactly("b@example.org");
		assertThat(records.get(2).end()).isEqualTo(bytes.length);
	}

	@Test
	void aReaderStartedAtARecordsOffsetReadsTheSameRecordsFromThere() throws Exception {
		String text = "email,fullName\nä@example.org,\"Zoë, \"\"Z\"\"\"\n\nb@example.org,Bo\r\nc@example.org,\"C\nD\"\n";
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		List<CsvReader.Record> all = read(bytes);
		for (CsvReader.Record from : all) {
			InputStream rest = new ByteArrayInputStream(bytes, (int) from.start(), bytes.length - (int) from.start());
			List<CsvReader.Record> resumed = new ArrayList<>();
			try (CsvReader reader = new CsvReader(rest, from.start(), from.row(), LIMIT)) {
				for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
					resumed.add(r);
				}
			}
			assertThat(resumed).isEqualTo(all.subList(all.indexOf(from), all.size()));
		}
	}

	@Test
	void refusesARowOverTheLimitWithoutReadingTheRestOfIt() {
		// 10 MB of one line, made as it is read: the reader must stop at the limit.
		CountingInput endless = new CountingInput("email\n".getBytes(StandardCharsets.US_ASCII), 10_000_000);
		assertThatThrownBy(() -> read(endless)).isInstanceOf(CsvReader.CsvFormatException.class)
			.hasMessageContaining("Row 2 is longer than 64 KiB");
		assertThat(endless.served).isLessThan(LIMIT + 64 * 1024);
	}

	@Test
	void refusesBytesThatAreNotUtf8() {
		byte[] latin1 = "email\nren\u00e9@example.org\n".getBytes(StandardCharsets.ISO_8859_1);
		assertThatThrownBy(() -> read(latin1)).isInstanceOf(CsvReader.CsvFormatException.class)
			.hasMessageContaining("Row 2 is not UTF-8");
	}

	@Test
	void refusesBrokenQuotingAndNulBytes() {
		assertThatThrownBy(() -> read("email\n\"a@example.org\n")).hasMessageContaining("never closed");
		assertThatThrownBy(() -> read("email\na\"b@example.org\n")).hasMessageContaining("quote (\") inside");
		assertThatThrownBy(() -> read("email\n\"a\"b\n")).hasMessageContaining("text after the closing quote");
		assertThatThrownBy(() -> read("email\na\0b\n")).hasMessageContaining("NUL byte");
	}

	@Test
	void theUploadCheckCountsRowsAndNamesTheFileByItsHash() throws Exception {
		String text = "email,fullName,certificateClass\na@example.org,A,standard\n\nb@example.org,B,standard\n";
		BatchFile.Scanned scanned = scan(text.getBytes(StandardCharsets.UTF_8));
		assertThat(scanned.rows()).isEqualTo(2);
		assertThat(scanned.dataOffset()).isEqualTo("email,fullName,certificateClass\n".length());
		assertThat(scanned.layout().has(Column.CSR_PEM)).isFalse();
		assertThat(scanned.sha256()).isEqualTo(
				java.util.HexFormat.of().formatHex(BatchFile.sha256().digest(text.getBytes(StandardCharsets.UTF_8))));
		assertThat(scan("EMAIL, fullname ,certificateClass,csrPem\nx,y,z,\n".getBytes(StandardCharsets.UTF_8)).layout()
			.order()).containsExactly(Column.EMAIL, Column.FULL_NAME, Column.CERTIFICATE_CLASS, Column.CSR_PEM);
	}

	@Test
	void theUploadCheckRefusesFilesThatAreNoBatchFile() {
		assertRefused(new byte[0], "The file is empty");
		assertRefused(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, "The file is empty");
		assertRefused("email,fullName,certificateClass\n".getBytes(StandardCharsets.UTF_8), "no rows below it");
		assertRefused("email,fullName,class\nx,y,z\n".getBytes(StandardCharsets.UTF_8), "column 'class'");
		assertRefused("email,fullName\nx,y\n".getBytes(StandardCharsets.UTF_8), "lacks the column certificateClass");
		assertRefused("email,email,fullName,certificateClass\n".getBytes(StandardCharsets.UTF_8), "email twice");
		assertRefused(new byte[] { 'P', 'K', 3, 4, 20, 0, 6, 0 }, "ZIP archive");
		assertRefused(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0 }, "NUL");
		assertRefused("email,fullName,certificateClass".getBytes(StandardCharsets.UTF_16), "UTF-16");
		assertRefused("email,fullName,certificateClass\nren\u00e9,x,y\n".getBytes(StandardCharsets.ISO_8859_1),
				"Row 2 is not UTF-8");
	}

	@Test
	void reportCellsThatLookLikeFormulasAreNeutralised() {
		assertThat(ReportCells.cell("=cmd|' /C calc'!A0")).isEqualTo("'=cmd|' /C calc'!A0");
		assertThat(ReportCells.cell("+1")).isEqualTo("'+1");
		assertThat(ReportCells.cell("-2+3")).isEqualTo("'-2+3");
		assertThat(ReportCells.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
		assertThat(ReportCells.cell("\tx")).isEqualTo("'\tx");
		assertThat(ReportCells.cell("\rx")).isEqualTo("\"'\rx\"");
		assertThat(ReportCells.cell("=1,\"2\"")).isEqualTo("\"'=1,\"\"2\"\"\"");
		assertThat(ReportCells.cell("a@example.org")).isEqualTo("a@example.org");
		assertThat(ReportCells.cell(null)).isEmpty();
	}

	@Test
	void aRowKeyIgnoresTheCaseOfTheMailboxAndTheWhiteSpaceOfTheCsr() {
		assertThat(BatchRows.rowKey(" Ada@Example.org", "standard", "-----BEGIN X-----\r\nAB\n-----END X-----"))
			.isEqualTo(BatchRows.rowKey("ada@example.org", "standard ", "-----BEGINX-----AB-----ENDX-----"));
		assertThat(BatchRows.rowKey("ada@example.org", "standard", null))
			.isNotEqualTo(BatchRows.rowKey("ada@example.org", "high-assurance", null))
			.hasSize(64);
	}

	private static void assertRefused(byte[] file, String words) {
		assertThatThrownBy(() -> scan(file)).isInstanceOf(RequestException.class).hasMessageContaining(words);
	}

	private static BatchFile.Scanned scan(byte[] file) throws IOException {
		return BatchFile.scan(new ByteArrayInputStream(file), LIMIT);
	}

	private static List<CsvReader.Record> read(String text) throws Exception {
		return read(text.getBytes(StandardCharsets.UTF_8));
	}

	private static List<CsvReader.Record> read(byte[] bytes) throws Exception {
		return read(new ByteArrayInputStream(bytes));
	}

	private static List<CsvReader.Record> read(InputStream in) throws Exception {
		List<CsvReader.Record> records = new ArrayList<>();
		try (CsvReader reader = new CsvReader(in, 0, 1, LIMIT)) {
			for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
				records.add(r);
			}
		}
		return records;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

	/** A header, then a long run of 'a' made as it is read; counts what was read. */
	private static final class CountingInput extends InputStream {

		private final byte[] head;

		private final long length;

		long served;

		CountingInput(byte[] head, long length) {
			this.head = head;
			this.length = length;
		}

		@Override
		public int read() {
			if (this.served >= this.length) {
				return -1;
			}
			int b = (this.served < this.head.length) ? this.head[(int) this.served] : 'a';
			this.served++;
			return b;
		}

	}

}
