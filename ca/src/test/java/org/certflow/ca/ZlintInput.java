package org.certflow.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Leaves what the tests issue in {@code target/zlint-input/} for the independent linter
 * that CI runs after the build ({@code .ci/zlint-check}): every issued certificate, every
 * CA certificate and every CRL, one PEM file each, named by kind and SHA-256 so that the
 * same CA certificate seen by many tests is written once.
 */
final class ZlintInput {

	static final Path DIR = Path.of("target", "zlint-input");

	private ZlintInput() {
	}

	/**
	 * Writes the certificates a journal recorded, the CA chain, and (for a CA that
	 * publishes them) both CRLs.
	 * @param journal the test's journal
	 * @param ca the test's CA
	 */
	static void collect(InMemoryIssuanceJournal journal, CertificateAuthority ca) {
		if (journal != null) {
			for (byte[] der : journal.issuedCertificates()) {
				write("cert", "CERTIFICATE", der);
			}
		}
		if (ca == null) {
			return;
		}
		for (X509Certificate c : ca.caChain()) {
			try {
				write("ca", "CERTIFICATE", c.getEncoded());
			}
			catch (CertificateEncodingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		if (ca instanceof RevocableCertificateAuthority revocable) {
			write("crl", "X509 CRL", revocable.produceCrl().der());
			write("crl", "X509 CRL", revocable.produceRootCrl().der());
		}
	}

	static void crl(byte[] der) {
		write("crl", "X509 CRL", der);
	}

	private static void write(String kind, String label, byte[] der) {
		try {
			Files.createDirectories(DIR);
			String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
			Path file = DIR.resolve(kind + "-" + hash.substring(0, 24) + ".pem");
			if (!Files.exists(file)) {
				Files.writeString(file, TestSupport.pem(label, der), StandardCharsets.US_ASCII);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
