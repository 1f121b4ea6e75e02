package org.certflow.issuance;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.certflow.ca.CertificateAuthority;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.SubjectData;

/** Certificates for the issuance tests of this package, each for a fresh P-256 key. */
public final class Subscribers {

	private Subscribers() {
	}

	public static IssuedCertificate issueStandard(CertificateAuthority ca, String mailbox) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair key = generator.generateKeyPair();
			byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
				.getEncoded();
			return ca.issue(new IssuanceRequest(UUID.randomUUID().toString(), csr, "standard",
					SubjectData.of("Ada Applicant", mailbox)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
