package org.certflow.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.certflow.it.BillingReceiver.Delivery;
import org.certflow.it.BillingReceiver.Mode;
import org.certflow.it.RamcAccessTest.Console;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The billing module against a billing system that is down, hangs, refuses and comes
 * back: issuance never waits for it, and every issuance and revocation reaches it exactly
 * once by its idempotency key.
 */
class BillingTest extends IntegrationTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@AfterEach
	void billingSystemUp() {
		BILLING.mode(Mode.ACCEPT);
	}

	@Test
	void anIssuanceIsBilledOnceThroughAnOutageAndAHangWithoutHoldingUpTheCertificate() {
		BILLING.mode(Mode.FAIL);
		String requestId = issued();
		// The certificate was issued while the billing system was down.
		Map<String, Object> event = awaitEvent(requestId, "ISSUANCE",
				(row) -> ((Number) row.get("attempts")).intValue() >= 2);
		assertThat(event.get("status")).isEqualTo("PENDING");
		assertThat((String) event.get("last_error")).contains("HTTP 503");

		BILLING.mode(Mode.HANG);
		int before = ((Number) event.get("attempts")).intValue();
		event = awaitEvent(requestId, "ISSUANCE", (row) -> ((Number) row.get("attempts")).intValue() > before
				&& String.valueOf(row.get("last_error")).contains("HttpTimeoutException"));
		assertThat(event.get("status")).isEqualTo("PENDING");

		BILLING.mode(Mode.ACCEPT);
		event = awaitEvent(requestId, "ISSUANCE", (row) -> "SENT".equals(row.get("status")));

		String serial = this.jdbc.queryForObject(
				"select certificate_serial from certificate_request where request_id = ?", String.class, requestId);
		String issuer = this.jdbc.queryForObject("select issuer from issued_certificate where request_id = ?",
				String.class, requestId);
		String key = issuer + "|" + serial + "|ISSUANCE";
		assertThat(event.get("idempotency_key")).isEqualTo(key);
		assertThat(this.jdbc.queryForObject("select count(*) from billing_event where request_id = ?", Integer.class,
				requestId))
			.as("one event for one certificate")
			.isEqualTo(1);
		List<Delivery> deliveries = BILLING.deliveries().stream().filter((d) -> key.equals(d.key())).toList();
		assertThat(deliveries).extracting(Delivery::answered).contains(503, 0).endsWith(201);
		assertThat(deliveries).filteredOn((d) -> d.answered() == 201).hasSize(1);
		assertThat(deliveries).extracting(Delivery::authorization).containsOnly("Bearer suite-billing-secret");
		JsonNode body = json(deliveries.get(deliveries.size() - 1).body());
		assertThat(body.get("kind").asText()).isEqualTo("ISSUANCE");
		assertThat(body.get("serialNumber").asText()).isEqualTo(serial);
		assertThat(body.get("requestId").asText()).isEqualTo(requestId);
		assertThat(body.get("certificateClass").asText()).isEqualTo("standard");
		assertThat(body.get("idempotencyKey").asText()).isEqualTo(key);
	}

	@Test
	void aRevocationIsBilledAndAnEventTheBillingSystemRefusesWaitsForAnAdmin() {
		String requestId = issued();
		awaitEvent(requestId, "ISSUANCE", (row) -> "SENT".equals(row.get("status")));
		String serial = this.jdbc.queryForObject(
				"select certificate_serial from certificate_request where request_id = ?", String.class, requestId);

		BILLING.mode(Mode.REFUSE);
		HttpResponse<String> revoked = postJson("/api/v1/certificates/" + serial + "/revocation",
				Map.of("reason", "keyCompromise"), ADMIN);
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		Map<String, Object> event = awaitEvent(requestId, "REVOCATION", (row) -> "FAILED".equals(row.get("status")));
		assertThat(event.get("reason")).isEqualTo("keyCompromise");
		assertThat((String) event.get("last_error")).contains("HTTP 400");
		String eventId = (String) event.get("event_id");

		HttpResponse<String> failed = get("/api/v1/billing/events?status=failed&size=100", ADMIN);
		assertThat(failed.statusCode()).isEqualTo(200);
		assertThat(failed.body()).contains(eventId);
		assertThat(get("/api/v1/billing/events", OFFICER).statusCode()).isEqualTo(403);
		assertThat(get("/api/v1/billing/events", null).statusCode()).isEqualTo(401);

		BILLING.mode(Mode.ACCEPT);
		assertThat(postJson("/api/v1/billing/events/" + eventId + "/retry", "", OFFICER).statusCode()).isEqualTo(403);
		HttpResponse<String> retried = postJson("/api/v1/billing/events/" + eventId + "/retry", "", ADMIN);
		assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
		awaitEvent(requestId, "REVOCATION", (row) -> "SENT".equals(row.get("status")));

		HttpResponse<String> again = postJson("/api/v1/billing/events/" + eventId + "/retry", "", ADMIN);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(body(again).get("detail").asText()).contains("already sent");
		assertThat(postJson("/api/v1/billing/events/" + UUID.randomUUID() + "/retry", "", ADMIN).statusCode())
			.isEqualTo(404);
		HttpResponse<String> nonsense = postJson("/api/v1/billing/events/nonsense/retry", "", ADMIN);
		assertThat(nonsense.statusCode()).isEqualTo(400);
		assertThat(body(nonsense).get("detail").asText()).contains("not a billing event id");
		assertThat(get("/api/v1/billing/events?status=LOST", ADMIN).statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/billing/events?size=1000", ADMIN).statusCode()).isEqualTo(400);
		assertThat(this.jdbc.queryForObject("select count(*) from billing_event where request_id = ?", Integer.class,
				requestId))
			.isEqualTo(2);
	}

	@Test
	void aPeriodExportsAsCsvWithFormulaLookingCellsDefusedAndABadPeriodIsRefused() {
		String requestId = issued();
		awaitEvent(requestId, "ISSUANCE", (row) -> "SENT".equals(row.get("status")));
		String today = LocalDate.now(ZoneOffset.UTC).toString();

		HttpResponse<String> export = get("/api/v1/billing/export.csv?from=" + today + "&to=" + today, ADMIN);
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
		assertThat(export.headers().firstValue("Content-Disposition").orElse("")).contains("billing-" + today);
		String[] lines = export.body().split("\r\n");
		assertThat(lines[0]).startsWith("eventId,kind,occurredAt,issuer,serialNumber,requestId");
		assertThat(export.body()).contains("," + requestId + ",standard,");

		for (String query : new String[] { "from=2026-13-01&to=" + today, "from=" + today + "&to=2020-01-01",
				"from=2020-01-01&to=2026-12-31", "to=" + today, "from=%3Dcmd&to=" + today }) {
			HttpResponse<String> bad = get("/api/v1/billing/export.csv?" + query, ADMIN);
			assertThat(bad.statusCode()).as(query).isEqualTo(400);
			assertThat(bad.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
		}
		assertThat(get("/api/v1/billing/export.csv?from=" + today + "&to=" + today, OFFICER).statusCode())
			.isEqualTo(403);

		Console console = Console.login(this, ADMIN);
		String page = console.get("/ramc/billing").body();
		assertThat(page).contains("Export a period", "Failed");
		HttpResponse<String> csv = console.send("/ramc/billing/export.csv?from=" + today + "&to=" + today);
		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.body()).contains(requestId);
		HttpResponse<String> badPage = console.send("/ramc/billing/export.csv?from=yesterday&to=" + today);
		assertThat(badPage.statusCode()).isEqualTo(400);
		assertThat(badPage.body()).contains("must be a day as yyyy-mm-dd");
		HttpResponse<String> noCsrf = console.post("/ramc/billing/events/" + UUID.randomUUID() + "/retry", Map.of(),
				false);
		assertThat(noCsrf.statusCode()).isEqualTo(403);
		HttpResponse<String> unknown = console.post("/ramc/billing/events/" + UUID.randomUUID() + "/retry", Map.of(),
				true);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("There is no billing event");
		assertThat(Console.login(this, OFFICER).send("/ramc/billing").statusCode()).isNotEqualTo(200);
	}

	private String issued() {
		String requestId = submittedRequest(newMailbox());
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		return requestId;
	}

	private Map<String, Object> awaitEvent(String requestId, String kind,
			java.util.function.Predicate<Map<String, Object>> condition) {
		return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
			List<Map<String, Object>> rows = this.jdbc.queryForList(
					"select event_id, status, attempts, last_error, idempotency_key, reason from billing_event "
							+ "where request_id = ? and kind = ?",
					requestId, kind);
			return rows.isEmpty() ? null : lower(rows.get(0));
		}, (row) -> row != null && condition.test(row));
	}

	/** Column names as MariaDB gives them; H2 gives them upper case. */
	private static Map<String, Object> lower(Map<String, Object> row) {
		Map<String, Object> lower = new java.util.HashMap<>();
		row.forEach((name, value) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), value));
		return lower;
	}

	private JsonNode json(String text) {
		try {
			return this.json.readTree(text);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
