package org.certflow.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Independent checks: every certificate issued here must be accepted by the JDK PKIX
 * validator, OpenSSL in strict mode, GnuTLS and python-cryptography, for each CA key type
 * and each subscriber key type. CI installs openssl, gnutls-bin and python3-cryptography;
 * a missing tool fails the test rather than skipping it.
 */
class ExternalToolsTest {

	@TempDir
	static Path tmp;

	static List<KeyPair> subscriberKeys;

	@BeforeAll
	static void keys() {
		subscriberKeys = List.of(TestSupport.rsaKey(2048), TestSupport.ecKey("secp256r1"),
				TestSupport.ecKey("secp384r1"), TestSupport.ed25519Key());
	}

	static Stream<Arguments> caKeyTypes() {
		return Stream.of(Arguments.of(CaKeyAlgorithm.EC_P384, CaKeyAlgorithm.EC_P256),
				Arguments.of(CaKeyAlgorithm.RSA_2048, CaKeyAlgorithm.RSA_2048),
				Arguments.of(CaKeyAlgorithm.ED25519, CaKeyAlgorithm.ED25519));
	}

	@ParameterizedTest
	@MethodSource("caKeyTypes")
	void everyIssuedCertificatePassesEveryIndependentValidator(CaKeyAlgorithm root, CaKeyAlgorithm issuing)
			throws Exception {
		Path dir = Files.createDirectories(tmp.resolve(root + "-" + issuing));
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		CertificateAuthority ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dir)
			.rootKeyAlgorithm(root)
			.issuingKeyAlgorithm(issuing)
			.profile(TestSupport.SPONSORED)
			.build(), journal);
		Path rootPem = TestSupport.write(dir.resolve("root.pem"), pem(ca.caChain().get(1)));
		Path issuingPem = TestSupport.write(dir.resolve("issuing.pem"), pem(ca.caChain().get(0)));
		List<Path> leaves = new ArrayList<>();
		int i = 0;
		for (KeyPair key : subscriberKeys) {
			i++;
			IssuedCertificate issued = ca.issue(new IssuanceRequest("ext-" + i, TestSupport.csr(key), "sponsored",
					new SubjectData("Subscriber " + i, "subscriber" + i + "@example.org", "Example Org", "DE")));
			TestSupport.pkixValidate(issued.certificate(), ca.caChain());
			Path leaf = TestSupport.write(dir.resolve("leaf" + i + ".pem"), pem(issued.certificate()));
			leaves.add(leaf);

			TestSupport.Result openssl = TestSupport.run(dir, "openssl", "verify", "-x509_strict", "-auth_level", "2",
					"-purpose", "smimesign", "-CAfile", rootPem.toString(), "-untrusted", issuingPem.toString(),
					leaf.toString());
			assertThat(openssl.exitCode()).as("openssl verify %s: %s", key.getPublic().getAlgorithm(), openssl.output())
				.isZero();
			assertThat(openssl.output()).contains(leaf + ": OK");

			Path chain = TestSupport.write(dir.resolve("chain" + i + ".pem"),
					pem(issued.certificate()) + pem(ca.caChain().get(0)) + pem(ca.caChain().get(1)));
			TestSupport.Result certtool = TestSupport.run(dir, "certtool", "--verify-chain", "--infile",
					chain.toString());
			assertThat(certtool.exitCode()).as("certtool: %s", certtool.output()).isZero();
			assertThat(certtool.output()).contains("Chain verification output: Verified.");
		}
		ZlintInput.collect(journal, ca);
		List<String> command = new ArrayList<>(List.of("python3", "-c", PYTHON_PARSE));
		leaves.forEach((p) -> command.add(p.toString()));
		TestSupport.Result python = TestSupport.run(dir, command.toArray(new String[0]));
		assertThat(python.exitCode()).as("python3 cryptography: %s", python.output()).isZero();
		assertThat(python.output()).contains("parsed " + leaves.size());
	}

	/**
	 * Parses each certificate with python-cryptography and reads every extension, which
	 * fails on anything it considers malformed; it also checks the profile's key points
	 * independently.
	 */
	static final String PYTHON_PARSE = String.join("\n", "import sys", "from cryptography import x509",
			"from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID", "n = 0", "for path in sys.argv[1:]:",
			"    cert = x509.load_pem_x509_certificate(open(path, 'rb').read())",
			"    exts = {e.oid: e for e in cert.extensions}", "    for e in exts.values(): e.value",
			"    bc = exts[ExtensionOID.BASIC_CONSTRAINTS]", "    assert bc.critical and not bc.value.ca",
			"    san = exts[ExtensionOID.SUBJECT_ALTERNATIVE_NAME].value",
			"    assert len(list(san)) == 1 and len(san.get_values_for_type(x509.RFC822Name)) == 1",
			"    eku = list(exts[ExtensionOID.EXTENDED_KEY_USAGE].value)",
			"    assert eku == [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH], eku",
			"    assert 0 < cert.serial_number < 2**160", "    cert.public_key()", "    n += 1", "print('parsed', n)");

	// --- OCSP and CRL against OpenSSL ---

	static RevocableCertificateAuthority revocable;

	static InMemoryIssuanceJournal revocableJournal;

	static HttpServer server;

	static Path dir;

	@BeforeAll
	static void startResponder() throws IOException {
		dir = Files.createDirectories(tmp.resolve("ocsp"));
		revocableJournal = new InMemoryIssuanceJournal();
		revocable = CertificateAuthorities.openOrCreate(TestSupport.settings(dir).build(), revocableJournal,
				revocableJournal);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/ocsp", (exchange) -> {
			byte[] request;
			if ("POST".equals(exchange.getRequestMethod())) {
				try (InputStream in = exchange.getRequestBody()) {
					request = in.readAllBytes();
				}
			}
			else {
				String path = exchange.getRequestURI().getPath();
				request = Base64.getDecoder().decode(path.substring(path.lastIndexOf('/') + 1));
			}
			byte[] response = RevocationTest.ocspNow(revocable, request);
			exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
			exchange.sendResponseHeaders(200, response.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(response);
			}
		});
		server.start();
	}

	@AfterAll
	static void stopResponder() {
		server.stop(0);
		ZlintInput.collect(revocableJournal, revocable);
	}

	@Test
	void opensslOcspReportsGoodThenRevokedAfterRevocation() throws Exception {
		IssuedCertificate issued = revocable.issue(new IssuanceRequest("ocsp-1", TestSupport.csr(subscriberKeys.get(1)),
				"standard", SubjectData.of("Olga", "olga@example.org")));
		Path leaf = TestSupport.write(dir.resolve("leaf.pem"), pem(issued.certificate()));
		Path root = TestSupport.write(dir.resolve("root.pem"), pem(revocable.caChain().get(1)));
		Path issuing = TestSupport.write(dir.resolve("issuing.pem"), pem(revocable.caChain().get(0)));
		String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp";

		TestSupport.Result good = ocsp(leaf, root, issuing, url, false);
		assertThat(good.output()).contains("Response verify OK").contains(leaf + ": good");
		TestSupport.Result cached = ocsp(leaf, root, issuing, url, true);
		assertThat(cached.output()).contains("Response verify OK").contains(leaf + ": good");

		revocable.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE);

		TestSupport.Result revoked = ocsp(leaf, root, issuing, url, false);
		assertThat(revoked.output()).contains("Response verify OK")
			.contains(leaf + ": revoked")
			.contains("Reason: keyCompromise");
		assertThat(ocsp(leaf, root, issuing, url, true).output()).contains(leaf + ": revoked");
	}

	@Test
	void opensslVerifiesOurCrlAndListsTheRevokedSerial() throws Exception {
		IssuedCertificate issued = revocable.issue(new IssuanceRequest("crl-1", TestSupport.csr(subscriberKeys.get(2)),
				"standard", SubjectData.of("Carl", "carl@example.org")));
		revocable.revoke(issued.serial(), RevocationReason.SUPERSEDED);
		Path crl = dir.resolve("crl.der");
		Files.write(crl, revocable.produceCrl().der());
		Path chain = TestSupport.write(dir.resolve("cachain.pem"), revocable.caChainPem());

		TestSupport.Result r = TestSupport.run(dir, "openssl", "crl", "-inform", "DER", "-in", crl.toString(),
				"-CAfile", chain.toString(), "-noout", "-text");

		assertThat(r.exitCode()).as(r.output()).isZero();
		assertThat(r.output()).contains("verify OK")
			.containsPattern("Serial Number: 0?" + issued.serialHex().toUpperCase(java.util.Locale.ROOT) + "\\s")
			.contains("Superseded")
			.contains("X509v3 CRL Number");

		Path leaf = TestSupport.write(dir.resolve("crl-leaf.pem"), pem(issued.certificate()));
		Path root = TestSupport.write(dir.resolve("crl-root.pem"), pem(revocable.caChain().get(1)));
		Path crlPem = TestSupport.write(dir.resolve("crl.pem"),
				TestSupport.pem("X509 CRL", revocable.produceCrl().der()));
		TestSupport.Result verify = TestSupport.run(dir, "openssl", "verify", "-crl_check", "-CAfile", root.toString(),
				"-untrusted", dir.resolve("issuing.pem").toString(), "-CRLfile", crlPem.toString(), leaf.toString());
		assertThat(verify.output()).contains("certificate revoked");
	}

	private static TestSupport.Result ocsp(Path leaf, Path root, Path issuing, String url, boolean noNonce)
			throws Exception {
		List<String> cmd = new ArrayList<>(List.of("openssl", "ocsp", "-issuer", issuing.toString(), "-cert",
				leaf.toString(), "-url", url, "-CAfile", root.toString(), "-verify_other", issuing.toString()));
		if (noNonce) {
			cmd.add("-no_nonce");
		}
		TestSupport.Result r = TestSupport.run(dir, cmd.toArray(new String[0]));
		assertThat(r.exitCode()).as(r.output()).isZero();
		return r;
	}

	/**
	 * Runs every independent validator on one issued certificate; used by the other tests
	 * so every certificate the suite issues is checked.
	 * @param issued the certificate with its chain
	 * @param workDir where to write PEM files
	 */
	static void validateEverywhere(IssuedCertificate issued, Path workDir) throws Exception {
		Path dir = Files.createTempDirectory(workDir, "validate");
		List<X509Certificate> chain = issued.chain();
		TestSupport.pkixValidate(issued.certificate(), chain.subList(1, chain.size()));
		Path leaf = TestSupport.write(dir.resolve("leaf.pem"), pem(chain.get(0)));
		Path issuing = TestSupport.write(dir.resolve("issuing.pem"), pem(chain.get(1)));
		Path root = TestSupport.write(dir.resolve("root.pem"), pem(chain.get(2)));
		TestSupport.Result openssl = TestSupport.run(dir, "openssl", "verify", "-x509_strict", "-auth_level", "2",
				"-purpose", "smimesign", "-CAfile", root.toString(), "-untrusted", issuing.toString(), leaf.toString());
		assertThat(openssl.exitCode()).as("openssl verify: %s", openssl.output()).isZero();
		Path all = TestSupport.write(dir.resolve("chain.pem"),
				pem(chain.get(0)) + pem(chain.get(1)) + pem(chain.get(2)));
		TestSupport.Result certtool = TestSupport.run(dir, "certtool", "--verify-chain", "--infile", all.toString());
		assertThat(certtool.exitCode()).as("certtool: %s", certtool.output()).isZero();
		assertThat(certtool.output()).contains("Chain verification output: Verified.");
		TestSupport.Result python = TestSupport.run(dir, "python3", "-c", PYTHON_PARSE, leaf.toString());
		assertThat(python.exitCode()).as("python3 cryptography: %s", python.output()).isZero();
	}

	static String pem(X509Certificate cert) {
		try {
			return TestSupport.pem("CERTIFICATE", cert.getEncoded());
		}
		catch (java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
