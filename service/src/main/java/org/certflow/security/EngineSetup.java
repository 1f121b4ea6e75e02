package org.certflow.security;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaSettings;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Brings the engine's identities and authorizations to what CertFlow needs, once all
 * beans exist and before the web server takes requests. A production installation is
 * checked first and refuses to start with demo settings.
 */
@Component
class EngineSetup implements SmartInitializingSingleton {

	private final CertFlowProperties properties;

	private final CaSettings.Values ca;

	private final CamundaAccess access;

	private final DemoUsers demoUsers;

	private final SignerAccount signer;

	private final ProductionSafety.PublicAccess publicAccess;

	EngineSetup(CertFlowProperties properties, CaSettings.Values ca, CamundaAccess access, DemoUsers demoUsers,
			SignerAccount signer, Environment environment, ServerProperties server) {
		this.publicAccess = new ProductionSafety.PublicAccess(
				environment.getProperty("certflow.behind-tls-proxy", Boolean.class, false),
				server.getForwardHeadersStrategy() != null
						&& server.getForwardHeadersStrategy() != ServerProperties.ForwardHeadersStrategy.NONE);
		this.properties = properties;
		this.ca = ca;
		this.access = access;
		this.demoUsers = demoUsers;
		this.signer = signer;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ProductionSafety.check(this.properties, this.ca, this.signer.runsInThisJvm(), this.publicAccess);
		this.access.configure();
		this.signer.ensure();
		if (this.properties.demoUsers()) {
			this.demoUsers.ensure();
		}
	}

}
