package org.certflow.workflow;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.identity.User;
import org.certflow.delivery.OfficerMail;
import org.certflow.lifecycle.ExpiryNotices;
import org.certflow.processes.ExpiryNoticeProcess.Bean;
import org.certflow.security.CamundaAccess;

import org.springframework.context.annotation.Configuration;

/**
 * The beans {@code expiry-notice.bpmn} binds by name: the daily notices, the digest for
 * RA admins (every member of {@code ra-admins} with a mail address), and the gateway's
 * calendar.
 */
@Configuration(proxyBeanMethods = false)
class ExpiryNoticeDelegates {

	@org.springframework.context.annotation.Bean(Bean.SEND_NOTICES)
	JavaDelegate sendExpiryNotices(ExpiryNotices notices, Clock clock) {
		return (execution) -> notices.sendDue(clock.instant());
	}

	@org.springframework.context.annotation.Bean(Bean.SEND_DIGEST)
	JavaDelegate sendExpiryDigest(ExpiryNotices notices, IdentityService identity, OfficerMail mail, Clock clock) {
		return (execution) -> {
			List<String> lines = notices.digest(clock.instant());
			for (User admin : identity.createUserQuery().memberOfGroup(CamundaAccess.RA_ADMINS).list()) {
				if (admin.getEmail() == null || admin.getEmail().isBlank()) {
					continue;
				}
				String name = (admin.getFirstName() != null) ? admin.getFirstName() : admin.getId();
				mail.sendExpiryDigest(admin.getEmail(), Map.of("name", name, "horizonDays", notices.digestDays(),
						"count", lines.size(), "lines", lines));
			}
		};
	}

	@org.springframework.context.annotation.Bean(Bean.CALENDAR)
	Calendar expiryCalendar(ExpiryNotices notices, Clock clock) {
		return new Calendar(notices, clock);
	}

	/** Answers {@code ${expiryCalendar.isDigestDay()}}. */
	public static final class Calendar {

		private final ExpiryNotices notices;

		private final Clock clock;

		Calendar(ExpiryNotices notices, Clock clock) {
			this.notices = notices;
			this.clock = clock;
		}

		public boolean isDigestDay() {
			return this.notices.isDigestDay(this.clock.instant());
		}

	}

}
