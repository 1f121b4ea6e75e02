package org.certflow.batch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.certflow.request.RequestException;

/**
 * Checks a whole batch file as it streams past, before anything is stored: that it is CSV
 * text in UTF-8 with a header row naming known columns, no row longer than the limit and
 * at least one row. It reads each byte once and keeps one row in memory; the SHA-256 it
 * computes on the way names the file.
 */
final class BatchFile {

	private BatchFile() {
	}

	/**
	 * @param content the file
	 * @param maxRowBytes the longest row taken
	 * @return what the file holds
	 * @throws RequestException INVALID saying what is wrong with the file and where
	 * @throws IOException when the upload cannot be read
	 */
	static Scanned scan(InputStream content, int maxRowBytes) throws IOException {
		MessageDigest sha256 = sha256();
		BufferedInputStream in = new BufferedInputStream(new DigestInputStream(content, sha256));
		// The start of the file tells most binary files from text.
		in.mark(8192);
		byte[] magic = in.readNBytes(8192);
		in.reset();
		if (magic.length == 0) {
			throw invalid("The file is empty. Upload a CSV file with a header row and one row per applicant.");
		}
		String kind = binaryKind(magic);
		if (kind != null) {
			throw invalid("The file is " + kind + ", not CSV text. Save it as \"CSV UTF-8\" and upload that file.");
		}
		try (CsvReader reader = new CsvReader(in, 0, 1, maxRowBytes)) {
			CsvReader.Record header = reader.next();
			if (header == null) {
				throw invalid("The file is empty. Upload a CSV file with a header row and one row per applicant.");
			}
			Column.Layout layout = Column.Layout.of(header.fields());
			int rows = 0;
			while (reader.next() != null) {
				rows++;
			}
			if (rows == 0) {
				throw invalid("The file has a header row but no rows below it.");
			}
			// Whatever the reader left unread (nothing, at its end) still belongs in the
			// hash.
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return new Scanned(HexFormat.of().formatHex(sha256.digest()), layout, header.end(), rows);
		}
		catch (CsvReader.CsvFormatException ex) {
			throw invalid(ex.getMessage() + " Nothing of this file was stored.");
		}
	}

	/** Names the few binary files people upload by mistake instead of a CSV export. */
	private static String binaryKind(byte[] magic) {
		if (magic.length >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
			return "a ZIP archive (an Excel .xlsx workbook is one)";
		}
		if (magic.length >= 4 && (magic[0] & 0xFF) == 0xD0 && (magic[1] & 0xFF) == 0xCF && (magic[2] & 0xFF) == 0x11
				&& (magic[3] & 0xFF) == 0xE0) {
			return "an old Office document (.xls)";
		}
		if (magic.length >= 4 && magic[0] == '%' && magic[1] == 'P' && magic[2] == 'D' && magic[3] == 'F') {
			return "a PDF document";
		}
		if (magic.length >= 2 && (((magic[0] & 0xFF) == 0xFF && (magic[1] & 0xFF) == 0xFE)
				|| ((magic[0] & 0xFF) == 0xFE && (magic[1] & 0xFF) == 0xFF))) {
			return "UTF-16 text";
		}
		for (byte b : magic) {
			if (b == 0) {
				return "binary (it holds NUL bytes)";
			}
		}
		return null;
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RequestException invalid(String message) {
		return new RequestException(RequestException.Kind.INVALID, message);
	}

	/**
	 * A file that passed the checks.
	 *
	 * @param sha256 its SHA-256, lowercase hex
	 * @param layout its columns
	 * @param dataOffset the byte offset of the row after the header
	 * @param rows its rows, header and blank lines not counted
	 */
	record Scanned(String sha256, Column.Layout layout, long dataOffset, int rows) {
	}

}
