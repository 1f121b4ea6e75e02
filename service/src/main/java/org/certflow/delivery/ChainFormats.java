package org.certflow.delivery;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.CollectionStore;

/**
 * The download formats of a collected chain: PEM as stored, the leaf alone in DER, and
 * the whole chain as a certs-only PKCS#7 (.p7b, which Windows and Java import).
 */
public final class ChainFormats {

	private ChainFormats() {
	}

	/**
	 * @param chainPem a chain in PEM, leaf first
	 * @return its certificates in order
	 */
	public static List<X509CertificateHolder> certificates(String chainPem) {
		List<X509CertificateHolder> certificates = new ArrayList<>();
		try (PEMParser parser = new PEMParser(new StringReader(chainPem))) {
			for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
				if (item instanceof X509CertificateHolder certificate) {
					certificates.add(certificate);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (certificates.isEmpty()) {
			throw new IllegalArgumentException("no certificate in the chain");
		}
		return certificates;
	}

	/**
	 * @param chainPem a chain in PEM, leaf first
	 * @return the leaf certificate in DER
	 */
	public static byte[] leafDer(String chainPem) {
		try {
			return certificates(chainPem).get(0).getEncoded();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param chainPem a chain in PEM, leaf first
	 * @return the chain as a degenerate (certs-only) PKCS#7 SignedData in DER
	 */
	public static byte[] pkcs7(String chainPem) {
		try {
			CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
			generator.addCertificates(new CollectionStore<>(certificates(chainPem)));
			return generator.generate(new CMSAbsentContent()).getEncoded();
		}
		catch (CMSException | IOException ex) {
			throw new IllegalStateException("cannot encode the chain as PKCS#7", ex);
		}
	}

}
