package org.certflow.crash;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CertFlow started twice on one data folder, as an operator restarts it: the second start
 * serves the HTTPS certificate (and key) of the first, issued once.
 */
class HttpsRestartTest {

	private static final Pattern HTTPS = Pattern.compile("HTTPS listens on https://localhost:(\\d+)");

	@TempDir
	Path temp;

	@Test
	void aSecondStartServesTheCertificateOfTheFirst() throws Exception {
		Path dataDir = this.temp.resolve("data");
		X509Certificate first;
		try (ForkedCertFlow certFlow = ForkedCertFlow.start(dataDir, "first.log")) {
			first = served(certFlow, dataDir);
			certFlow.stop(Duration.ofSeconds(60));
		}
		try (ForkedCertFlow certFlow = ForkedCertFlow.start(dataDir, "second.log")) {
			assertThat(served(certFlow, dataDir)).isEqualTo(first);
			assertThat(certFlow.log()).contains("HTTPS certificate for localhost reused");
			certFlow.stop(Duration.ofSeconds(60));
		}
	}

	/** The leaf the node serves, to a client that trusts only data/tls/root.pem. */
	private static X509Certificate served(ForkedCertFlow certFlow, Path dataDir) throws Exception {
		Matcher port = HTTPS.matcher(certFlow.log());
		assertThat(port.find()).as("the HTTPS port in the log").isTrue();
		KeyStore anchors = KeyStore.getInstance("PKCS12");
		anchors.load(null, null);
		try (InputStream root = Files.newInputStream(dataDir.resolve("tls").resolve("root.pem"))) {
			anchors.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(root));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
		trust.init(anchors);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(null, trust.getTrustManagers(), null);
		HttpResponse<String> page = HttpClient.newBuilder()
			.sslContext(tls)
			.build()
			.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port.group(1) + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		return (X509Certificate) page.sslSession().orElseThrow().getPeerCertificates()[0];
	}

}
