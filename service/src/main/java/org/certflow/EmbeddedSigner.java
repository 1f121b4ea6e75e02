package org.certflow;

import java.util.HashMap;
import java.util.Map;

import org.certflow.security.SignerAccount;
import org.certflow.signer.SignerApplication;
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
 */
@Component
class EmbeddedSigner implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedSigner.class);

	private final ApplicationContext ra;

	private final ConfigurableEnvironment environment;

	private final CertFlowProperties properties;

	private final SignerAccount account;

	private volatile ConfigurableApplicationContext signer;

	EmbeddedSigner(ApplicationContext ra, ConfigurableEnvironment environment, CertFlowProperties properties,
			SignerAccount account) {
		this.ra = ra;
		this.environment = environment;
		this.properties = properties;
		this.account = account;
	}

	@Override
	public synchronized void start() {
		if (Role.parse(this.environment.getProperty(CertFlowApplication.ROLE, "all")) != Role.ALL) {
			return;
		}
		if (!(this.ra instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
			log.warn("No web server in this context: the embedded signer is not started");
			return;
		}
		int port = web.getWebServer().getPort();
		this.signer = SignerApplication.runEmbedded(signerEnvironment(port));
		log.info("Embedded signer started; it signs through http://127.0.0.1:{}/engine-rest", port);
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
