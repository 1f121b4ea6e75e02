package org.certflow.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.certflow.audit.AuditChainCheck;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CA's audit trail seen from outside: RA admins verify it over the API, certificates
 * issued at the same time and revoked keep it valid, and a tampered event is reported by
 * number, over the API and as the start-up warning.
 */
class AuditTrailTest extends IntegrationTest {

	private static final String VERIFICATION = "/api/v1/audit/verification";

	@Autowired
	private AuditChainCheck startupCheck;

	@Test
	void onlyRaAdminsMayVerify() {
		assertThat(get(VERIFICATION, null).statusCode()).isEqualTo(401);
		assertThat(get(VERIFICATION, OFFICER).statusCode()).isEqualTo(403);
		assertThat(get(VERIFICATION, ADMIN).statusCode()).isEqualTo(200);
	}

	@Test
	void wrongMethodAndMediaTypeAreProblems() {
		HttpResponse<String> posted = postJson(VERIFICATION, "{}", ADMIN);
		assertProblem(posted, 405);
		HttpResponse<String> csv = send(
				authenticated(HttpRequest.newBuilder(url(VERIFICATION)).header("Accept", "text/csv"), ADMIN));
		assertProblem(csv, 406);
	}

	@Test
	void certificatesIssuedAtOnceAndRevokedKeepTheChainValid() {
		long before = verification().get("events").asLong();
		List<String> requests = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			requests.add(submittedRequest(newMailbox()));
		}
		// Three officers' approvals at the same moment: three signings race for the head.
		List<CompletableFuture<HttpResponse<String>>> approvals = requests.stream()
			.map((id) -> CompletableFuture.supplyAsync(() -> decide(id, "approve", null)))
			.toList();
		// Verifications while the chain grows see a valid prefix of it, never a break.
		List<CompletableFuture<HttpResponse<String>>> verifications = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			verifications.add(CompletableFuture.supplyAsync(() -> get(VERIFICATION, ADMIN)));
		}
		approvals.forEach((approval) -> assertThat(approval.join().statusCode()).isEqualTo(204));
		verifications.forEach((response) -> {
			assertThat(response.join().statusCode()).isEqualTo(200);
			assertThat(body(response.join()).get("valid").asBoolean()).as(response.join().body()).isTrue();
		});
		List<String> serials = requests.stream()
			.map((id) -> awaitStatus(id, "ISSUED").get("certificateSerial").asText())
			.toList();
		assertThat(postJson("/api/v1/certificates/" + serials.get(0) + "/revocation", Map.of("reason", "keyCompromise"),
				ADMIN)
			.statusCode()).isEqualTo(200);

		JsonNode verification = verification();
		assertThat(verification.get("valid").asBoolean()).as(verification.toString()).isTrue();
		assertThat(verification.get("firstBrokenEvent").isNull()).isTrue();
		// About to sign and signed for each, and the revocation.
		assertThat(verification.get("events").asLong()).isGreaterThanOrEqualTo(before + 7);
		for (String serial : serials) {
			assertThat(this.jdbc.queryForList(
					"select event_type from audit_event where serial_hex = ? order by " + "event_id", String.class,
					serial))
				.startsWith("ABOUT_TO_SIGN", "SIGNED");
		}
	}

	@Test
	void aTamperedEventIsReportedByNumberAndWarnedAboutAtStartUp() {
		String requestId = submittedRequest(newMailbox());
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		String serial = awaitStatus(requestId, "ISSUED").get("certificateSerial").asText();
		long eventId = this.jdbc.queryForObject(
				"select event_id from audit_event where serial_hex = ? and event_type = 'ABOUT_TO_SIGN'", Long.class,
				serial);
		String detail = this.jdbc.queryForObject("select detail from audit_event where event_id = ?", String.class,
				eventId);

		this.jdbc.update("update audit_event set detail = ? where event_id = ?", "profile=anything-else", eventId);
		Logger logger = (Logger) LoggerFactory.getLogger(AuditChainCheck.class);
		ListAppender<ILoggingEvent> logged = new ListAppender<>();
		logged.start();
		logger.addAppender(logged);
		try {
			JsonNode verification = verification();
			assertThat(verification.get("valid").asBoolean()).isFalse();
			assertThat(verification.get("firstBrokenEvent").asLong()).isEqualTo(eventId);

			this.startupCheck.verifyAndReport();
			assertThat(logged.list).anySatisfy((event) -> {
				assertThat(event.getLevel()).isEqualTo(Level.WARN);
				assertThat(event.getFormattedMessage()).contains("BROKEN at event " + eventId);
			});
		}
		finally {
			logger.detachAppender(logged);
			this.jdbc.update("update audit_event set detail = ? where event_id = ?", detail, eventId);
		}
		assertThat(verification().get("valid").asBoolean()).isTrue();
	}

	private JsonNode verification() {
		HttpResponse<String> response = get(VERIFICATION, ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return body(response);
	}

	private void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(body(response).get("detail").asText()).isNotBlank();
	}

}
