package org.certflow.ca;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who already has a CA brings it as a PKCS#12 file with the issuing key under
 * alias {@code issuing} and its chain up to the root; here OpenSSL plays that operator.
 */
class Pkcs12ImportTest {

	@TempDir
	Path dir;

	@Test
	void issuesWithACaHierarchyImportedFromAnOpensslPkcs12() throws Exception {
		String password = new String(TestSupport.PASSWORD);
		TestSupport.write(this.dir.resolve("issuing.ext"),
				String.join("\n", "basicConstraints = critical, CA:TRUE, pathlen:0",
						"keyUsage = critical, keyCertSign, cRLSign, digitalSignature", "subjectKeyIdentifier = hash",
						"authorityKeyIdentifier = keyid", ""));
		openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", "root.key",
				"-out", "root.pem", "-days", "3650", "-subj", "/O=Imported/CN=Imported Root CA", "-addext",
				"keyUsage=critical,keyCertSign,cRLSign");
		openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
				"issuing.key", "-out", "issuing.csr", "-subj", "/O=Imported/CN=Imported Issuing CA");
		openssl("x509", "-req", "-in", "issuing.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
				"-days", "1825", "-extfile", "issuing.ext", "-out", "issuing.pem");
		Path caDir = Files.createDirectories(this.dir.resolve("data").resolve("ca"));
		openssl("pkcs12", "-export", "-name", "issuing", "-inkey", "issuing.key", "-in", "issuing.pem", "-certfile",
				"root.pem", "-passout", "pass:" + password, "-out", caDir.resolve("ca.p12").toString());

		CertificateAuthority ca = CertificateAuthorities
			.openOrCreate(TestSupport.settings(this.dir.resolve("data")).build(), new InMemoryIssuanceJournal());
		IssuedCertificate issued = ca
			.issue(new IssuanceRequest("import-1", TestSupport.csr(TestSupport.ecKey("secp256r1")), "standard",
					SubjectData.of("Ingrid Import", "ingrid@example.org")));

		assertThat(ca.caChain().get(0).getSubjectX500Principal().getName())
			.isEqualTo("CN=Imported Issuing CA,O=Imported");
		assertThat(ca.caChain().get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Imported Root CA,O=Imported");
		ExternalToolsTest.validateEverywhere(issued, this.dir);
	}

	private void openssl(String... args) throws Exception {
		String[] command = new String[args.length + 1];
		command[0] = "openssl";
		System.arraycopy(args, 0, command, 1, args.length);
		TestSupport.Result r = TestSupport.run(this.dir, command);
		assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.output()).isZero();
	}

}
