package org.certflow.security;

import java.security.SecureRandom;
import java.util.Base64;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.certflow.CertFlowApplication;
import org.certflow.CertFlowProperties;
import org.certflow.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The signer's technical user on this RA node, a member of group certflow-signers and of
 * nothing else. With a configured {@code certflow.signer.password} the user is kept with
 * that password; in the embedded default (role all) without one, a fresh random password
 * is drawn on every start and handed only to the signer inside this JVM, so no signer
 * password is stored anywhere. On an RA node without a password the user is left to
 * Camunda Admin.
 */
@Component
public class SignerAccount {

	private static final Logger log = LoggerFactory.getLogger(SignerAccount.class);

	private final IdentityService identity;

	private final CertFlowProperties.Signer settings;

	private final String password;

	private final boolean embedded;

	SignerAccount(IdentityService identity, CertFlowProperties properties, Environment environment) {
		this.identity = identity;
		this.settings = properties.signer();
		String configured = this.settings.password();
		this.embedded = Role.parse(environment.getProperty(CertFlowApplication.ROLE, "all")) == Role.ALL;
		this.password = (configured != null && !configured.isBlank()) ? configured
				: this.embedded ? randomPassword() : null;
	}

	/**
	 * @return whether the signer runs in this JVM (role all), holding the CA key here
	 */
	public boolean runsInThisJvm() {
		return this.embedded;
	}

	/**
	 * @return the user id the signer logs in with
	 */
	public String user() {
		return this.settings.user();
	}

	/**
	 * @return the password the signer logs in with, or {@code null} when kept by hand
	 */
	public String password() {
		return this.password;
	}

	void ensure() {
		String id = this.settings.user();
		if (this.password == null) {
			log.info("Signer user '{}' is kept in Camunda Admin (no certflow.signer.password set)", id);
			return;
		}
		// Set on every start without first checking the old one: a password check that
		// fails counts as a wrong login against the user.
		User user = this.identity.createUserQuery().userId(id).singleResult();
		if (user == null) {
			user = this.identity.newUser(id);
			user.setFirstName("CertFlow");
			user.setLastName("Signer");
		}
		user.setPassword(this.password);
		this.identity.saveUser(user);
		if (this.identity.createUserQuery().userId(id).memberOfGroup(CamundaAccess.SIGNERS).count() == 0) {
			this.identity.createMembership(id, CamundaAccess.SIGNERS);
		}
	}

	private static String randomPassword() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
