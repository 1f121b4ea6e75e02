package org.certflow.batch;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RFC 4180 file one record at a time, holding at most one record in memory
 * whatever the size of the file.
 *
 * <p>
 * It works on bytes, not characters: the bytes that structure a CSV file (comma, quote,
 * CR, LF) are ASCII, and in UTF-8 no byte of a multi-byte character is ASCII, so each
 * field can be cut out of the bytes first and decoded afterwards, strictly. That keeps
 * the byte offset of every record exact, which is where a resumed batch starts reading. A
 * UTF-8 byte order mark at the very start is skipped; lines end in CRLF, LF or CR; a
 * record with nothing on its line is skipped but keeps its number, so that row numbers
 * are the record numbers a spreadsheet shows (the header is row 1).
 */
final class CsvReader implements Closeable {

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private final InputStream in;

	private final byte[] buffer = new byte[16 * 1024];

	private int position;

	private int limit;

	private long offset;

	private int row;

	private final int maxRecordBytes;

	private final ByteArrayOutputStream field = new ByteArrayOutputStream();

	private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPORT)
		.onUnmappableCharacter(CodingErrorAction.REPORT);

	private long recordStart;

	private int recordRow;

	/**
	 * @param in the bytes from {@code offset} on
	 * @param offset the byte offset of {@code in}'s first byte in the file (0 for the
	 * whole file)
	 * @param row the number of the record that starts there (1 at the start of the file)
	 * @param maxRecordBytes the longest record taken, in bytes
	 * @throws IOException when the stream fails
	 */
	CsvReader(InputStream in, long offset, int row, int maxRecordBytes) throws IOException {
		this.in = in;
		this.offset = offset;
		this.row = row;
		this.maxRecordBytes = maxRecordBytes;
		if (offset == 0) {
			skipBom();
		}
	}

	/**
	 * @return the next record, or {@code null} at the end of the file
	 * @throws IOException when the stream fails
	 * @throws CsvFormatException when the bytes are not a CSV file of UTF-8 text
	 */
	Record next() throws IOException, CsvFormatException {
		while (peek() >= 0) {
			this.recordStart = this.offset;
			this.recordRow = this.row++;
			List<String> fields = new ArrayList<>();
			boolean blank = true;
			boolean more = true;
			while (more) {
				this.field.reset();
				if (peek() == '"') {
					blank = false;
					take();
					more = quotedField();
				}
				else {
					more = plainField();
					blank &= !more && this.field.size() == 0 && fields.isEmpty();
				}
				fields.add(decode());
			}
			if (!blank) {
				return new Record(this.recordRow, this.recordStart, this.offset, List.copyOf(fields));
			}
		}
		return null;
	}

	/**
	 * @return whether another field of the same record follows
	 */
	private boolean plainField() throws IOException, CsvFormatException {
		for (;;) {
			int b = peek();
			if (b < 0) {
				return false;
			}
			if (b == '\r' || b == '\n') {
				endOfLine();
				return false;
			}
			take();
			if (b == ',') {
				return true;
			}
			if (b == '"') {
				throw new CsvFormatException(this.recordRow,
						"Row " + this.recordRow
								+ " has a quote (\") inside a cell that does not start with one. Put the whole cell in "
								+ "quotes and double the quotes inside it (\"\"), as RFC 4180 says.");
			}
			this.field.write(b);
		}
	}

	/**
	 * @return whether another field of the same record follows
	 */
	private boolean quotedField() throws IOException, CsvFormatException {
		for (;;) {
			int b = take();
			if (b < 0) {
				throw new CsvFormatException(this.recordRow, "Row " + this.recordRow
						+ " opens a quoted cell that is never closed before the file ends. Close it with a quote (\").");
			}
			if (b == '"') {
				if (peek() != '"') {
					break;
				}
				take();
			}
			this.field.write(b);
		}
		int after = peek();
		if (after < 0) {
			return false;
		}
		if (after == ',') {
			take();
			return true;
		}
		if (after == '\r' || after == '\n') {
			endOfLine();
			return false;
		}
		throw new CsvFormatException(this.recordRow, "Row " + this.recordRow
				+ " has text after the closing quote of a cell. Inside a quoted cell a quote is written twice (\"\").");
	}

	private void endOfLine() throws IOException, CsvFormatException {
		if (take() == '\r' && peek() == '\n') {
			take();
		}
	}

	private String decode() throws CsvFormatException {
		byte[] bytes = this.field.toByteArray();
		try {
			return this.utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException ex) {
			throw new CsvFormatException(this.recordRow,
					"Row " + this.recordRow
							+ " is not UTF-8 text. Save the file as \"CSV UTF-8\" (in a spreadsheet) or convert it, "
							+ "for example with iconv -f WINDOWS-1252 -t UTF-8.");
		}
	}

	private int peek() throws IOException {
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		return this.buffer[this.position] & 0xFF;
	}

	private int take() throws IOException, CsvFormatException {
		int b = peek();
		if (b < 0) {
			return b;
		}
		this.position++;
		this.offset++;
		if (b == 0) {
			throw new CsvFormatException(this.recordRow, "The file holds a NUL byte (in row " + this.recordRow
					+ "), so it is not a text file. Upload the CSV file itself, saved as \"CSV UTF-8\".");
		}
		if (this.offset - this.recordStart > this.maxRecordBytes) {
			throw new CsvFormatException(this.recordRow,
					"Row " + this.recordRow + " is longer than " + (this.maxRecordBytes / 1024)
							+ " KiB; no row of a batch file needs that much. Check that its quotes are closed.");
		}
		return b;
	}

	private boolean fill() throws IOException {
		int n = this.in.read(this.buffer, 0, this.buffer.length);
		if (n <= 0) {
			// InputStream.read blocks until at least one byte arrives, so 0 means
			// nothing more.
			this.position = 0;
			this.limit = 0;
			return false;
		}
		this.position = 0;
		this.limit = n;
		return true;
	}

	private void skipBom() throws IOException {
		for (int i = 0; i < BOM.length; i++) {
			while (this.limit - this.position <= i) {
				int n = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
				if (n < 0) {
					return;
				}
				this.limit += n;
			}
			if (this.buffer[this.position + i] != BOM[i]) {
				return;
			}
		}
		this.position += BOM.length;
		this.offset += BOM.length;
	}

	@Override
	public void close() throws IOException {
		this.in.close();
	}

	/**
	 * One record.
	 *
	 * @param row its number in the file, the header being 1
	 * @param start the byte offset where it starts
	 * @param end the byte offset after its line end: where the next record starts
	 * @param fields its cells, decoded
	 */
	record Record(int row, long start, long end, List<String> fields) {
	}

	/** The bytes are not a CSV file of UTF-8 text; the message says where and why. */
	static final class CsvFormatException extends Exception {

		private static final long serialVersionUID = 1L;

		private final int row;

		CsvFormatException(int row, String message) {
			super(message);
			this.row = row;
		}

		int row() {
			return this.row;
		}

	}

}
