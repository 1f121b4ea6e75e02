package org.certflow.request;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.certflow.ca.InspectedCsr;

/**
 * The class's allowed key algorithms ({@code certificate_class.key_algorithms}, tokens
 * such as RSA-2048, EC-P256, ED25519) applied to a CSR's key, at every submission: an
 * application and a request entered on a user's behalf alike. The CA's own key policy
 * still applies on top; this rule can only narrow it.
 */
final class ClassKeyRule {

	private ClassKeyRule() {
	}

	/**
	 * @param certificateClass the class the request is made for
	 * @param csr the inspected CSR
	 * @throws RequestException (INVALID) when the class does not allow the key
	 */
	static void check(CertificateClass certificateClass, InspectedCsr csr) {
		List<String> allowed = Arrays.stream(certificateClass.getKeyAlgorithms().split(","))
			.map(String::strip)
			.filter((token) -> !token.isEmpty())
			.toList();
		String token = token(csr);
		if (!allowed.contains(token)) {
			throw new RequestException(RequestException.Kind.INVALID,
					"csrPem: certificate class '" + certificateClass.getName() + "' accepts "
							+ String.join(", ", allowed) + " keys; this CSR has a " + csr.keyDescription() + " key ("
							+ token + "). Make a new key of an accepted type.");
		}
	}

	/** The class token for a CSR's key: RSA-2048, EC-P256, ED25519. */
	static String token(InspectedCsr csr) {
		String algorithm = csr.keyAlgorithm().toUpperCase(Locale.ROOT);
		return switch (algorithm) {
			case "RSA" -> "RSA-" + csr.keyBits();
			case "EC" -> "EC-P" + csr.keyBits();
			default -> algorithm;
		};
	}

}
