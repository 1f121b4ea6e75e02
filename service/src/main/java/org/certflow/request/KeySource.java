package org.certflow.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the key pair of a request comes from. The class lists which of these it allows
 * ({@code certificate_class.key_sources}); the activation page follows the request's.
 */
public enum KeySource {

	/** Made with WebCrypto in the applicant's browser, which keeps the private key. */
	BROWSER,

	/** Made by the applicant's own tool; the applicant sends only the CSR. */
	CSR,

	/**
	 * Made by CertFlow at issuance and kept encrypted until the applicant collects it.
	 */
	SERVER;

	/**
	 * Reads a key source as a form or the API sends it.
	 * @param value the name, any case; blank means CSR (the API's only choice before key
	 * sources existed)
	 * @return the key source
	 * @throws RequestException INVALID for an unknown name
	 */
	public static KeySource parse(String value) {
		if (value == null || value.isBlank()) {
			return CSR;
		}
		try {
			return valueOf(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new RequestException(RequestException.Kind.INVALID, "keySource must be one of "
					+ Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ".");
		}
	}

	/**
	 * @param certificateClass the class
	 * @return whether the class allows this key source
	 */
	public boolean allowedBy(CertificateClass certificateClass) {
		return Arrays.stream(certificateClass.getKeySources().split(","))
			.map(String::strip)
			.anyMatch(name()::equalsIgnoreCase);
	}

}
