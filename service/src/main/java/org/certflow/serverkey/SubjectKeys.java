package org.certflow.serverkey;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Makes a subscriber's key pair on the RA (never the CA) and a PKCS#10 request signed
 * with it, so that the signer checks a server-made key exactly as it checks an uploaded
 * CSR, proof of possession included.
 */
public final class SubjectKeys {

	/**
	 * The class tokens this server can make, most preferred first: P-256 is small and
	 * fast, and every platform imports it.
	 */
	static final List<String> MADE = List.of("EC-P256", "EC-P384", "RSA-3072", "RSA-2048", "RSA-4096", "EC-P521");

	private static final SecureRandom RANDOM = new SecureRandom();

	private SubjectKeys() {
	}

	/**
	 * @param allowed the class's allowed key tokens (comma separated, e.g.
	 * {@code RSA-2048,EC-P256})
	 * @return the token of the key the server will make, or empty when it can make none
	 * of them
	 */
	public static Optional<String> choose(String allowed) {
		List<String> tokens = Arrays.stream(allowed.split(",")).map(String::strip).toList();
		return MADE.stream().filter(tokens::contains).findFirst();
	}

	/**
	 * @param token a token from {@link #choose}
	 * @return how people name that key, as the CSR inspector does ("ECDSA P-256", "RSA
	 * 3072")
	 */
	public static String describe(String token) {
		return token.startsWith("EC-P") ? "ECDSA P-" + token.substring(4) : "RSA " + token.substring(4);
	}

	/**
	 * A new key pair and its CSR.
	 *
	 * @param csrDer the PKCS#10 request, signed with the new key
	 * @param privateKeyPkcs8 the private key; the caller seals it and wipes this array
	 */
	public record Made(byte[] csrDer, byte[] privateKeyPkcs8) {
	}

	/**
	 * @param token a token from {@link #choose}
	 * @param commonName the name the CSR asks for (the CA builds the subject itself)
	 * @return the key and its CSR
	 */
	public static Made make(String token, String commonName) {
		try {
			KeyPair pair;
			String signature;
			if (token.startsWith("EC-P")) {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				String bits = token.substring(4);
				generator.initialize(new ECGenParameterSpec("secp" + bits + "r1"), RANDOM);
				pair = generator.generateKeyPair();
				signature = switch (bits) {
					case "256" -> "SHA256withECDSA";
					case "384" -> "SHA384withECDSA";
					default -> "SHA512withECDSA";
				};
			}
			else if (token.startsWith("RSA-")) {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(
						new RSAKeyGenParameterSpec(Integer.parseInt(token.substring(4)), RSAKeyGenParameterSpec.F4),
						RANDOM);
				pair = generator.generateKeyPair();
				signature = "SHA256withRSA";
			}
			else {
				throw new IllegalArgumentException("The server does not make " + token + " keys");
			}
			X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
			ContentSigner signer = new JcaContentSignerBuilder(signature).build(pair.getPrivate());
			byte[] csr = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic()).build(signer).getEncoded();
			return new Made(csr, pair.getPrivate().getEncoded());
		}
		catch (GeneralSecurityException | OperatorCreationException | java.io.IOException ex) {
			throw new IllegalStateException("Cannot make a " + token + " key pair", ex);
		}
	}

}
