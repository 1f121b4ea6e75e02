package org.certflow.tls;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.certflow.CertFlowProperties;
import org.certflow.ca.TlsServerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.stereotype.Component;

/**
 * The embedded default's HTTPS listener, beside plain HTTP on the same address. It opens
 * once the embedded signer runs, because its certificate comes from CertFlow's own CA:
 * the key is made here, on the RA side, and only its CSR goes to the signer (through
 * {@link ServerCertificateIssuer}), which issues it like any certificate, through the
 * CA's journal and audit trail. Until then, and when it is off, CertFlow answers on HTTP
 * only.
 */
@Component
public class HttpsConnector {

	private static final Logger log = LoggerFactory.getLogger(HttpsConnector.class);

	private final HttpsSettings settings;

	private final CertFlowProperties properties;

	private final ServerProperties server;

	private final Clock clock;

	private volatile int port = -1;

	private volatile List<X509Certificate> chain = List.of();

	HttpsConnector(HttpsSettings settings, CertFlowProperties properties, ServerProperties server, Clock clock) {
		this.settings = settings;
		this.properties = properties;
		this.server = server;
		this.clock = clock;
	}

	/**
	 * Whether this node opens HTTPS.
	 * @param embeddedSigner whether a signer runs in this JVM (the embedded default)
	 * @return whether to open it
	 * @throws IllegalStateException when HTTPS is asked for on a node without a signer
	 */
	public boolean wanted(boolean embeddedSigner) {
		if (this.settings.enabled() == null) {
			return embeddedSigner;
		}
		if (this.settings.enabled() && !embeddedSigner) {
			throw new IllegalStateException("certflow.https.enabled=true needs the embedded signer "
					+ "(certflow.role=all) to issue CertFlow's own certificate; on an RA node terminate TLS in a "
					+ "proxy (certflow.behind-tls-proxy=true) or configure server.ssl.* with a certificate of yours");
		}
		return this.settings.enabled();
	}

	/**
	 * Opens the HTTPS listener, with the stored certificate or one issued now. Does
	 * nothing when it is open already (a restarted signer).
	 * @param webServer this node's running web server
	 * @param issuer reaches the signer
	 * @throws IllegalStateException when the listener cannot open
	 */
	public synchronized void open(WebServer webServer, ServerCertificateIssuer issuer) {
		if (this.port > 0) {
			return;
		}
		if (!(webServer instanceof TomcatWebServer tomcat)) {
			throw new IllegalStateException("certflow.https needs the embedded Tomcat, not "
					+ webServer.getClass().getSimpleName() + "; set certflow.https.enabled=false");
		}
		ServerCertificate.KeyStoreFile keyStore = new ServerCertificate(this.properties.dataDir(),
				this.settings.hostName(), this.clock)
			.ensure(issuer);
		Connector connector = connector(keyStore);
		tomcat.getTomcat().getService().addConnector(connector);
		if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
			tomcat.getTomcat().getService().removeConnector(connector);
			throw new IllegalStateException("the HTTPS listener did not open on port " + this.settings.port()
					+ " (certflow.https.port; is the port in use?)");
		}
		this.chain = keyStore.chain();
		this.port = connector.getLocalPort();
		log.info("HTTPS listens on https://{}:{}", this.settings.hostName(), this.port);
	}

	private Connector connector(ServerCertificate.KeyStoreFile keyStore) {
		Connector connector = new Connector(Http11NioProtocol.class.getName());
		connector.setScheme("https");
		connector.setSecure(true);
		connector.setPort(this.settings.port());
		InetAddress address = this.server.getAddress();
		if (address != null) {
			connector.setProperty("address", address.getHostAddress());
		}
		Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
		protocol.setSSLEnabled(true);
		SSLHostConfig ssl = new SSLHostConfig();
		ssl.setProtocols("TLSv1.2+TLSv1.3");
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.EC);
		certificate.setCertificateKeystoreFile(keyStore.file().toString());
		certificate.setCertificateKeystorePassword(new String(keyStore.password()));
		certificate.setCertificateKeystoreType("PKCS12");
		certificate.setCertificateKeyAlias(TlsServerKeys.ALIAS);
		ssl.addCertificate(certificate);
		protocol.addSslHostConfig(ssl);
		return connector;
	}

	/**
	 * @return the certificate chain HTTPS serves, leaf first; empty while it is not open
	 */
	public List<X509Certificate> chain() {
		return this.chain;
	}

	/**
	 * @return the port HTTPS listens on, or -1 while it is not open
	 */
	public int port() {
		return this.port;
	}

}
