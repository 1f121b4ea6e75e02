package org.certflow.signer;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaSettings;
import org.certflow.security.ProductionSafety;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/** A production signer refuses to start with the demo key store password or policy. */
@Component
class SignerStartChecks implements InitializingBean {

	private final CertFlowProperties properties;

	private final CaSettings.Values ca;

	SignerStartChecks(CertFlowProperties properties, CaSettings.Values ca) {
		this.properties = properties;
		this.ca = ca;
	}

	@Override
	public void afterPropertiesSet() {
		ProductionSafety.checkSigner(this.properties, this.ca);
	}

}
