package org.certflow;

import java.util.HashMap;
import java.util.Map;

import org.certflow.ca.IssuanceProfile;
import org.certflow.security.SignerAccount;
import org.certflow.signer.IssueServerCertificate;
import org.certflow.signer.SignerApplication;
import org.certflow.tls.HttpsConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.stereotype.Component;

/**
 * The embedded default's signer (role {@code all}): the same {@link SignerApplication} a
 * production signer runs, started in this JVM in a context of its own once this node's
 * web server listens, and reaching it over loopback engine REST with the technical user
 * and the password {@link SignerAccount} drew for this start. Stopped before the web
 * server, so it never signs into a closing node.
 * <p>
 * Once the signer runs, it also certifies this node's HTTPS listener
 * ({@link HttpsConnector}): the RA side makes the key and hands over only a CSR, through
 * a one-method interface this composition root implements with the signer's
 * {@link IssueServerCertificate}. So the certificate is issued like any other (CSR
 * checked again, linted, journalled and audited), the web side never opens the CA key
 * store, and no RA class names the signer.
 */
@Component
class EmbeddedSigner implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedSigner.class);

	private final ApplicationContext ra;

	private final ConfigurableEnvironment environment;

	private final CertFlowProperties properties;

	private final SignerAccount account;

	private final HttpsConnector https;

	private volatile ConfigurableApplicationContext signer;

	EmbeddedSigner(ApplicationContext ra, ConfigurableEnvironment environment, CertFlowProperties properties,
			SignerAccount account, HttpsConnector https) {
		this.ra = ra;
		this.environment = environment;
		this.properties = properties;
		this.account = account;
		this.https = https;
	}

	@Override
	public synchronized void start() {
		if (Role.parse(this.environment.getProperty(CertFlowApplication.ROLE, "all")) != Role.ALL) {
			// Refuses certflow.https.enabled=true: no signer here to certify the key.
			this.https.wanted(false);
			return;
		}
		if (!(this.ra instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
			log.warn("No web server in this context: the embedded signer is not started");
			return;
		}
		int port = web.getWebServer().getPort();
		this.signer = SignerApplication.runEmbedded(signerEnvironment(port));
		log.info("Embedded signer started; it signs through http://127.0.0.1:{}/engine-rest", port);
		if (this.https.wanted(true)) {
			ConfigurableApplicationContext started = this.signer;
			this.https.open(web.getWebServer(),
					(csrDer, hostName) -> started.getBean(IssueServerCertificate.class).issue(csrDer, hostName));
		}
	}

	/**
	 * This node's settings, minus what only the RA resolves (a random data folder in
	 * tests, the port), plus the signer's engine address and login.
	 */
	private ConfigurableEnvironment signerEnvironment(int port) {
		StandardEnvironment child = new StandardEnvironment();
		child.setActiveProfiles(this.environment.getActiveProfiles());
		Map<String, Object> own = new HashMap<>();
		own.put(CertFlowApplication.ROLE, "signer");
		own.put("certflow.data-dir", this.properties.dataDir().toAbsolutePath().toString());
		own.put("certflow.signer.engine-url", "http://127.0.0.1:" + port + "/engine-rest");
		own.put("certflow.signer.user", this.account.user());
		own.put("certflow.signer.password", this.account.password());
		// The profile of this node's own HTTPS certificate, in the embedded signer only:
		// an RA class cannot name it, and a production signer's issuing CA does not list
		// serverAuth. An issuing CA created here lists it (the union of the profiles'
		// purposes), as clients that chain extended key usages require.
		IssuanceProfile tls = IssuanceProfile.tlsServerProfile();
		String profile = "certflow.ca.profiles." + tls.name() + ".";
		own.put(profile + "validity", tls.validity().toString());
		own.put(profile + "extended-key-usages", String.join(",", tls.extendedKeyUsages()));
		own.put(profile + "allow-ed25519", "false");
		own.put(profile + "smime-validation", tls.smimeValidation().name());
		child.getPropertySources().addFirst(new MapPropertySource("embeddedSigner", own));
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			if (!ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					&& !child.getPropertySources().contains(source.getName())) {
				child.getPropertySources().addLast(source);
			}
		}
		return child;
	}

	/**
	 * Stops the signer as soon as this node begins to close, before any other part stops
	 * (Spring publishes the event before it stops lifecycles), so the signer's parked
	 * fetch returns from an engine and web server that still answer.
	 */
	@EventListener
	void closing(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.ra) {
			stop();
		}
	}

	@Override
	public synchronized void stop() {
		if (this.signer != null) {
			this.signer.close();
			this.signer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.signer != null;
	}

	/**
	 * After the web server (it starts at {@code Integer.MAX_VALUE - 1}); stopped before.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/** The signer context, for tests that stop and restart it. */
	ConfigurableApplicationContext context() {
		return this.signer;
	}

}
