package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.certflow.CertFlowProperties;
import org.certflow.EmbeddedSigners;
import org.certflow.ca.IssuanceProfile;
import org.certflow.signer.IssueServerCertificate;
import org.certflow.tls.HttpsConnector;
import org.certflow.tls.ServerCertificate;
import org.certflow.tls.ServerCertificateIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The embedded default's HTTPS listener, as a client that trusts only CertFlow's demo
 * root sees it: a certificate from CertFlow's own CA for localhost, through the CA's
 * journal, HSTS on HTTPS only, the same certificate on the next start.
 */
class HttpsTest extends IntegrationTest {

	@Autowired
	private HttpsConnector https;

	@Autowired
	private CertFlowProperties properties;

	@Autowired
	private ApplicationContext context;

	@TempDir
	Path temp;

	@Test
	void servesHttpsForLocalhostWithACertificateFromItsOwnCaAndSendsHsts() throws Exception {
		X509Certificate root = root();
		HttpClient client = HttpClient.newBuilder().sslContext(trusting(root)).build();

		HttpResponse<String> page = client.send(HttpRequest.newBuilder(httpsUri("localhost", "/")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Strict-Transport-Security"))
			.hasValueSatisfying((hsts) -> assertThat(hsts).contains("max-age=31536000"));
		List<X509Certificate> served = new ArrayList<>();
		for (java.security.cert.Certificate c : page.sslSession().orElseThrow().getPeerCertificates()) {
			served.add((X509Certificate) c);
		}
		X509Certificate leaf = served.get(0);
		assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
		assertThat(leaf.getExtendedKeyUsage()).containsExactly(IssuanceProfile.SERVER_AUTH);
		assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
		assertThat(leaf.getNotAfter().toInstant()).isAfter(Instant.now().plus(ServerCertificate.RENEW_BEFORE));
		// Chains to the demo root through the issuing CA, as any client checks it.
		PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
		parameters.setRevocationEnabled(false);
		CertPathValidator.getInstance("PKIX")
			.validate(CertificateFactory.getInstance("X.509").generateCertPath(served.subList(0, 2)), parameters);
		// Issued like every certificate: in the CA's journal, with its audit events.
		String serial = leaf.getSerialNumber().toString(16);
		String requestId = this.jdbc.queryForObject("select request_id from issued_certificate where serial_hex = ?",
				String.class, serial);
		assertThat(requestId).startsWith("tls-");
		assertThat(this.jdbc.queryForObject("select count(*) from audit_event where request_id = ?", Integer.class,
				requestId))
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void plainHttpSendsNoHsts() {
		HttpResponse<String> page = get("/", null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
	}

	@Test
	void aClientRefusesTheCertificateForAnotherHostName() throws Exception {
		// 127.0.0.1 is not in the certificate: hostname verification is on.
		HttpClient client = HttpClient.newBuilder().sslContext(trusting(root())).build();
		assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> client
			.send(HttpRequest.newBuilder(httpsUri("127.0.0.1", "/")).build(), HttpResponse.BodyHandlers.ofString()));
	}

	@Test
	void opensslVerifiesTheServerAgainstTheDemoRoot() throws Exception {
		// Fails in CI (where openssl must be installed), skips only on a developer's
		// machine.
		Tools.requireOpenssl();
		Path root = tlsDirectory().resolve(ServerCertificate.ROOT_PEM);
		Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "localhost:" + this.https.port(),
				"-servername", "localhost", "-CAfile", root.toString(), "-verify_return_error", "-verify_hostname",
				"localhost", "-purpose", "sslserver")
			.redirectErrorStream(true)
			.start();
		openssl.getOutputStream().close();
		assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(openssl.exitValue()).as(output).isZero();
		assertThat(output).contains("Verify return code: 0 (ok)");
	}

	@Test
	void theKeyStorePasswordIsForTheOwnerOnly() throws Exception {
		Path password = tlsDirectory().resolve("keystore-password");
		assertThat(password).exists();
		if (Files.getFileStore(password).supportsFileAttributeView("posix")) {
			assertThat(Files.getPosixFilePermissions(password))
				.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
			assertThat(Files.getPosixFilePermissions(tlsDirectory().resolve("server.p12")))
				.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
		}
	}

	@Test
	void theNextStartUsesTheSameCertificateAndOneDueForRenewalIsReplaced() throws Exception {
		X509Certificate served = servedLeaf();
		AtomicInteger issued = new AtomicInteger();
		ServerCertificateIssuer signer = (csr, host) -> {
			issued.incrementAndGet();
			return EmbeddedSigners.bean(this.context, IssueServerCertificate.class).issue(csr, host);
		};
		// What HttpsConnector does at every start, on this node's data folder.
		ServerCertificate.KeyStoreFile again = new ServerCertificate(this.properties.dataDir(), "localhost",
				Clock.systemUTC())
			.ensure(signer);
		assertThat(issued).hasValue(0);
		assertThat(again.chain().get(0)).isEqualTo(served);

		// A copy of the folder, started 31 days before the certificate ends: a new key
		// and certificate, through the signer.
		Path copy = this.temp.resolve("data");
		Files.createDirectories(copy.resolve("tls"));
		for (String file : new String[] { "server.p12", "keystore-password" }) {
			Files.copy(tlsDirectory().resolve(file), copy.resolve("tls").resolve(file));
		}
		Clock late = Clock.fixed(served.getNotAfter().toInstant().minus(Duration.ofDays(29)), ZoneOffset.UTC);
		ServerCertificate.KeyStoreFile renewed = new ServerCertificate(copy, "localhost", late).ensure(signer);
		assertThat(issued).hasValue(1);
		assertThat(renewed.chain().get(0).getSerialNumber()).isNotEqualTo(served.getSerialNumber());
		assertThat(renewed.chain().get(0).getPublicKey().getEncoded()).isNotEqualTo(served.getPublicKey().getEncoded());
		// Another host name in the settings: a new certificate too.
		new ServerCertificate(copy, "certflow.localhost", Clock.systemUTC()).ensure((csr, host) -> {
			assertThat(host).isEqualTo("certflow.localhost");
			issued.incrementAndGet();
			return EmbeddedSigners.bean(this.context, IssueServerCertificate.class).issue(csr, host);
		});
		assertThat(issued).hasValue(2);
	}

	private X509Certificate servedLeaf() throws Exception {
		HttpClient client = HttpClient.newBuilder().sslContext(trusting(root())).build();
		HttpResponse<String> page = client.send(HttpRequest.newBuilder(httpsUri("localhost", "/")).build(),
				HttpResponse.BodyHandlers.ofString());
		return (X509Certificate) page.sslSession().orElseThrow().getPeerCertificates()[0];
	}

	private Path tlsDirectory() {
		return this.properties.dataDir().resolve("tls");
	}

	private URI httpsUri(String host, String path) {
		assertThat(this.https.port()).as("HTTPS port").isPositive();
		return URI.create("https://" + host + ":" + this.https.port() + path);
	}

	/** The demo root, the last certificate of /ca/chain.pem, fetched over plain HTTP. */
	private X509Certificate root() throws Exception {
		HttpResponse<String> chain = get("/ca/chain.pem", null);
		assertThat(chain.statusCode()).isEqualTo(200);
		List<X509Certificate> certificates = new ArrayList<>();
		for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
			.generateCertificates(new ByteArrayInputStream(chain.body().getBytes(StandardCharsets.US_ASCII)))) {
			certificates.add((X509Certificate) c);
		}
		X509Certificate root = certificates.get(certificates.size() - 1);
		assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
		// The file the README points at is the same root.
		X509Certificate file = (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(Files.newInputStream(tlsDirectory().resolve(ServerCertificate.ROOT_PEM)));
		assertThat(file).isEqualTo(root);
		return root;
	}

	/** A TLS context that trusts the demo root and nothing else. */
	private static SSLContext trusting(X509Certificate root) throws Exception {
		KeyStore anchors = KeyStore.getInstance("PKCS12");
		anchors.load(null, null);
		anchors.setCertificateEntry("certflow-demo-root", root);
		TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
		trust.init(anchors);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
