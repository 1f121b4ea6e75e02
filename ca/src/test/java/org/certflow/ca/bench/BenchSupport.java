package org.certflow.ca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.util.Comparator;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CaSettings;

/** Keys, CSRs and CA settings the benchmarks share. */
final class BenchSupport {

	static final Provider BC = new BouncyCastleProvider();

	private BenchSupport() {
	}

	static CaSettings settings(Path dir, CaKeyAlgorithm issuing) {
		return CaSettings.builder()
			.dataDir(dir)
			.keystorePassword("benchmark password".toCharArray())
			.issuingKeyAlgorithm(issuing)
			.crlUrl("http://ca.example.test/ca/crl")
			.ocspUrl("http://ca.example.test/ocsp")
			.caIssuersUrl("http://ca.example.test/ca/chain.pem")
			.certificatePolicyOid("1.3.6.1.4.1.99999.1.1")
			.build();
	}

	static KeyPair keyPair(CaKeyAlgorithm type) throws Exception {
		return switch (type) {
			case RSA_2048, RSA_3072, RSA_4096 -> {
				KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
				g.initialize(
						(type == CaKeyAlgorithm.RSA_2048) ? 2048 : (type == CaKeyAlgorithm.RSA_3072) ? 3072 : 4096);
				yield g.generateKeyPair();
			}
			case EC_P256, EC_P384, EC_P521 -> {
				KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
				g.initialize(new ECGenParameterSpec((type == CaKeyAlgorithm.EC_P256) ? "secp256r1"
						: (type == CaKeyAlgorithm.EC_P384) ? "secp384r1" : "secp521r1"));
				yield g.generateKeyPair();
			}
			case ED25519 -> KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
		};
	}

	/** What a CA key of this type signs with, as the CA picks it. */
	static String signatureAlgorithm(CaKeyAlgorithm type) {
		return switch (type) {
			case RSA_2048, RSA_3072 -> "SHA256withRSA";
			case RSA_4096 -> "SHA384withRSA";
			case EC_P256 -> "SHA256withECDSA";
			case EC_P384 -> "SHA384withECDSA";
			case EC_P521 -> "SHA512withECDSA";
			case ED25519 -> "Ed25519";
		};
	}

	static byte[] csr(KeyPair key) throws Exception {
		PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(new X500Name("CN=Bench"),
				SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
		String alg = (key.getPublic().getAlgorithm().startsWith("Ed")) ? "Ed25519"
				: key.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
		return b.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(key.getPrivate())).getEncoded();
	}

	static void delete(Path dir) throws IOException {
		if (dir == null || !Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}
