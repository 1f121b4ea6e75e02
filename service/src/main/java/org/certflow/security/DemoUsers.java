package org.certflow.security;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.User;
import org.certflow.CertFlowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Demo users for trying CertFlow on one machine: {@code admin} (camunda-admin,
 * ra-admins), {@code officer} and {@code officer2} (validation-officers, two for dual
 * control) and {@code supervisor} (ra-supervisors), each with its name as password. Never
 * on in production: {@link ProductionSafety} refuses to start with them.
 */
@Component
class DemoUsers {

	static final String OFFICER = "officer";

	static final String SUPERVISOR = "supervisor";

	/** A second officer, so that dual control can be tried by hand. */
	static final String SECOND_OFFICER = "officer2";

	private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);

	private final IdentityService identity;

	private final CertFlowProperties properties;

	DemoUsers(IdentityService identity, CertFlowProperties properties) {
		this.identity = identity;
		this.properties = properties;
	}

	void ensure() {
		String admin = this.properties.admin().id();
		user(admin, admin, "Demo", "Administrator");
		member(admin, Groups.CAMUNDA_ADMIN);
		member(admin, CamundaAccess.RA_ADMINS);
		user(OFFICER, OFFICER, "Demo", "Officer");
		member(OFFICER, CamundaAccess.OFFICERS);
		user(SECOND_OFFICER, SECOND_OFFICER, "Second", "Officer");
		member(SECOND_OFFICER, CamundaAccess.OFFICERS);
		user(SUPERVISOR, SUPERVISOR, "Demo", "Supervisor");
		member(SUPERVISOR, CamundaAccess.SUPERVISORS);
		log.warn("Demo users '{}', '{}', '{}' and '{}' are on, with their names as passwords. For trying CertFlow "
				+ "only.", admin, OFFICER, SECOND_OFFICER, SUPERVISOR);
	}

	private void user(String id, String password, String firstName, String lastName) {
		if (this.identity.createUserQuery().userId(id).count() == 0) {
			User user = this.identity.newUser(id);
			user.setPassword(password);
			user.setFirstName(firstName);
			user.setLastName(lastName);
			user.setEmail(id + "@localhost");
			this.identity.saveUser(user);
		}
	}

	private void member(String userId, String groupId) {
		if (this.identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() == 0) {
			this.identity.createMembership(userId, groupId);
		}
	}

}
