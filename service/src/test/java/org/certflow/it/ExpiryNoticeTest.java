package org.certflow.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.certflow.lifecycle.ExpiryNotices;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expiry notices with the run's clock moved forward: a holder hears at 30, 7 and 1 days
 * before expiry, once each, with an invitation to renew; never after renewing; RA admins
 * get the list of what expires.
 */
class ExpiryNoticeTest extends IntegrationTest {

	@Autowired
	private ExpiryNotices notices;

	@Test
	void aHolderHearsAtEachThresholdOnceWithARenewalInvitationAndNothingAfterRenewing() {
		String email = newMailbox();
		String requestId = collected(email);
		Instant notAfter = notAfter(requestId);

		// 40 days before: nothing is due for this certificate.
		this.notices.sendDue(notAfter.minus(Duration.ofDays(40)));
		assertThat(noticeRows(requestId)).isEmpty();

		// 29 days before: the 30-day notice and a renewal invitation of the same class.
		this.notices.sendDue(notAfter.minus(Duration.ofDays(29)));
		this.notices.sendDue(notAfter.minus(Duration.ofDays(29)).plusSeconds(3600));
		assertThat(noticeRows(requestId)).extracting((row) -> row.get("threshold")).containsExactly(30);
		String notice = awaitMail(email, "expires");
		assertThat(notice).contains("expires on", "separate mail brings");
		String renewalId = (String) noticeRows(requestId).get(0).get("renewal");
		assertThat(renewalId).isNotNull().isNotEqualTo(requestId);
		assertThat(request(renewalId).get("certificateClass").asText()).isEqualTo("standard");
		assertThat(request(renewalId).get("status").asText()).isEqualTo("INVITED");
		assertThat(countMails(email, "expires")).isEqualTo(1);

		// 6 days before: the 7-day notice, once, however often the run is repeated.
		this.notices.sendDue(notAfter.minus(Duration.ofDays(6)));
		this.notices.sendDue(notAfter.minus(Duration.ofDays(6)));
		assertThat(noticeRows(requestId)).extracting((row) -> row.get("threshold")).containsExactly(30, 7);
		awaitMailCount(email, "expires", 2);

		// The holder renews through the newest invitation: the 1-day notice is skipped.
		String renewal = (String) noticeRows(requestId).get(1).get("renewal");
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("select count(*) from mail_outbox where request_id = ? and kind = "
					+ "'INVITATION' and status = 'SENT'", Integer.class, renewal) == 1);
		assertThat(submit(invitationToken(email), csrPem(newEcKey("secp256r1"), "CN=x"), email).statusCode())
			.isEqualTo(202);
		awaitStatus(renewal, "PENDING_VALIDATION");
		assertThat(decide(renewal, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(renewal, "ISSUED");
		this.notices.sendDue(notAfter.minus(Duration.ofHours(12)));
		assertThat(noticeRows(requestId)).extracting((row) -> row.get("threshold")).containsExactly(30, 7);
		assertThat(countMails(email, "expires")).isEqualTo(2);

		// RA admins see it in their list while it has not expired.
		List<String> digest = this.notices.digest(notAfter.minus(Duration.ofDays(10)));
		assertThat(digest).anyMatch((line) -> line.contains(email));
		assertThat(this.notices.digest(notAfter.plusSeconds(1))).noneMatch((line) -> line.contains(email));
	}

	@Test
	void aCertificateFirstSeenInsideTheLastWeekGetsOnlyThatNoticeAndARevokedOneNone() {
		String email = newMailbox();
		String requestId = collected(email);
		Instant notAfter = notAfter(requestId);
		this.notices.sendDue(notAfter.minus(Duration.ofDays(3)));
		assertThat(noticeRows(requestId)).extracting((row) -> row.get("threshold")).containsExactly(7);

		String revokedEmail = newMailbox();
		String revoked = collected(revokedEmail);
		String serial = this.jdbc.queryForObject(
				"select certificate_serial from certificate_request where request_id = ?", String.class, revoked);
		assertThat(postJson("/api/v1/certificates/" + serial + "/revocation", Map.of("reason", "superseded"), ADMIN)
			.statusCode()).isEqualTo(200);
		awaitStatus(revoked, "REVOKED");
		this.notices.sendDue(notAfter(revoked).minus(Duration.ofDays(3)));
		assertThat(noticeRows(revoked)).isEmpty();
	}

	@Test
	void theDigestDayIsMondayInUtc() {
		assertThat(this.notices.isDigestDay(Instant.parse("2026-11-30T06:00:00Z"))).isTrue();
		assertThat(this.notices.isDigestDay(Instant.parse("2026-12-01T06:00:00Z"))).isFalse();
	}

	private String collected(String email) {
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		assertThat(postJson("/api/v1/activations", Map.of("activationCode", activation[0], "pin", activation[1]), null)
			.statusCode()).isEqualTo(200);
		awaitStatus(requestId, "COLLECTED");
		return requestId;
	}

	private Instant notAfter(String requestId) {
		return this.jdbc
			.queryForObject("select not_after from issued_certificate where request_id = ?", java.sql.Timestamp.class,
					requestId)
			.toInstant();
	}

	private List<Map<String, Object>> noticeRows(String requestId) {
		return this.jdbc.query(
				"select threshold_days, renewal_request_id from expiry_notice where request_id = ? order by sent_at",
				(rs, row) -> {
					Map<String, Object> values = new java.util.HashMap<>();
					values.put("threshold", rs.getInt(1));
					values.put("renewal", rs.getString(2));
					return values;
				}, requestId);
	}

	private int countMails(String email, String subjectWord) {
		return this.jdbc.queryForObject(
				"select count(*) from mail_outbox where recipient = ? and lower(subject) like ?", Integer.class, email,
				"%" + subjectWord + "%");
	}

	private void awaitMailCount(String email, String subjectWord, int count) {
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> countMails(email, subjectWord) == count);
	}

}
