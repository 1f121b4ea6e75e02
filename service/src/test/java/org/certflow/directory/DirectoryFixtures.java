package org.certflow.directory;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certflow.directory.DirectorySettings.Embedded;
import org.certflow.directory.DirectorySettings.OnRevoke;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** Settings, certificates and CRLs for the directory's tests. */
final class DirectoryFixtures {

	static final String BASE = "dc=certflow,dc=local";

	static final String BIND_DN = "cn=certflow," + BASE;

	static final String BIND_PASSWORD = "test-directory-password";

	private DirectoryFixtures() {
	}

	static DirectorySettings settings(String url, boolean startTls, String bindDn, String bindPassword,
			boolean embedded) {
		return new DirectorySettings(true, url, startTls, bindDn, bindPassword, null, BASE,
				"mail={mail},ou=people," + BASE, List.of("top", "person", "organizationalPerson", "inetOrgPerson"),
				"cn={cn},ou=ca," + BASE, List.of("top", "applicationProcess", "pkiCA"), OnRevoke.REMOVE,
				Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(1), new Embedded(embedded, 0));
	}

	static DirectorySettings embeddedSettings() {
		return settings("ldap://localhost:1389", false, BIND_DN, BIND_PASSWORD, true);
	}

	static LdapCertificateDirectory directory(DirectorySettings settings, EmbeddedDirectory embedded) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		if (embedded != null) {
			beans.addBean("embeddedDirectory", embedded);
		}
		ObjectProvider<EmbeddedDirectory> provider = beans.getBeanProvider(EmbeddedDirectory.class);
		return new LdapCertificateDirectory(settings, provider);
	}

	static byte[] certificate(String subject) throws Exception {
		KeyPair key = key();
		Instant now = Instant.now();
		ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
		return new JcaX509v3CertificateBuilder(new X500Name(subject), new BigInteger(64, new SecureRandom()),
				Date.from(now), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), key.getPublic())
			.build(signer)
			.getEncoded();
	}

	static byte[] crl(String issuer) throws Exception {
		KeyPair key = key();
		ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
		return new X509v2CRLBuilder(new X500Name(issuer), new Date()).build(signer).getEncoded();
	}

	private static KeyPair key() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

}
