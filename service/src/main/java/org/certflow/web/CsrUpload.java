package org.certflow.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.certflow.request.RequestException;

import org.springframework.web.multipart.MultipartFile;

/**
 * Turns what the applicant sent (pasted PEM, an uploaded PEM or DER file, or the DER the
 * preview page carried back) into PEM text for the CSR inspector, which judges what it
 * holds. Only the shape is handled here: a PNG or a certificate is refused by the
 * inspector with its own words.
 */
final class CsrUpload {

	/** The largest file we take; the request size limit refuses larger bodies first. */
	static final int MAX_FILE = 64 * 1024;

	private CsrUpload() {
	}

	/**
	 * @param pasted the pasted text, or blank
	 * @param file the uploaded file, or {@code null}
	 * @return PEM text, or the pasted text when no file was chosen
	 */
	static String pem(String pasted, MultipartFile file) {
		if (file == null || file.getOriginalFilename() == null || file.getOriginalFilename().isEmpty()) {
			return lines(pasted);
		}
		if (file.isEmpty()) {
			throw csr("The file you chose (" + file.getOriginalFilename() + ") is empty. Choose the .csr or .pem "
					+ "file your tool wrote, or paste its text.");
		}
		if (file.getSize() > MAX_FILE) {
			throw csr("The file you chose is larger than " + (MAX_FILE / 1024) + " KiB; a certificate request is "
					+ "a few KiB at most. Choose the .csr or .pem file your tool wrote.");
		}
		byte[] bytes;
		try {
			bytes = file.getBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		if (text.contains("-----BEGIN")) {
			return lines(text);
		}
		return wrap(bytes);
	}

	/**
	 * @param base64Der the DER the preview page carried, base64
	 * @return its PEM text, or {@code null} when there is none
	 */
	static String pem(String base64Der) {
		if (base64Der == null || base64Der.isBlank()) {
			return null;
		}
		try {
			return wrap(Base64.getDecoder().decode(base64Der.strip()));
		}
		catch (IllegalArgumentException ex) {
			throw csr("The certificate request came back damaged; paste it or choose the file again.");
		}
	}

	/**
	 * Browsers send a textarea's line breaks as CRLF (HTML's form submission rules), and
	 * files from Windows tools have them too; the PEM reader takes LF.
	 */
	private static String lines(String text) {
		return (text != null) ? text.replace("\r\n", "\n").replace('\r', '\n') : null;
	}

	private static String wrap(byte[] der) {
		return "-----BEGIN CERTIFICATE REQUEST-----\n"
				+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END CERTIFICATE REQUEST-----\n";
	}

	private static RequestException csr(String message) {
		return new RequestException(new RequestException(RequestException.Kind.INVALID, message), "csr");
	}

}
