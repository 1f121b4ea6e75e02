package org.certflow.security;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaSettings;

import org.springframework.beans.factory.SmartInitializingSingleton;
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

	EngineSetup(CertFlowProperties properties, CaSettings.Values ca, CamundaAccess access, DemoUsers demoUsers,
			SignerAccount signer) {
		this.properties = properties;
		this.ca = ca;
		this.access = access;
		this.demoUsers = demoUsers;
		this.signer = signer;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ProductionSafety.check(this.properties, this.ca, this.signer.runsInThisJvm());
		this.access.configure();
		this.signer.ensure();
		if (this.properties.demoUsers()) {
			this.demoUsers.ensure();
		}
	}

}
