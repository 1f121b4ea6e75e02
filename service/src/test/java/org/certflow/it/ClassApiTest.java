package org.certflow.it;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA admin's API on certificate classes: list, read, create, change with optimistic
 * locking, retire; every field checked; retired classes take no new requests; a change
 * never alters requests already made.
 */
class ClassApiTest extends IntegrationTest {

	@Test
	void listsTheSeededClassesAndReadsOneWithItsVersionAsETag() {
		HttpResponse<String> all = get("/api/v1/classes", ADMIN);
		assertThat(all.statusCode()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		body(all).forEach((c) -> names.add(c.get("name").asText()));
		assertThat(names).contains("standard", "auto-domain", "high-assurance");

		HttpResponse<String> one = get("/api/v1/classes/auto-domain", ADMIN);
		assertThat(one.statusCode()).isEqualTo(200);
		JsonNode cls = body(one);
		assertThat(cls.get("allowedDomains").get(0).asText()).isEqualTo("example.org");
		assertThat(cls.get("keySources").size()).isEqualTo(2);
		assertThat(one.headers().firstValue("ETag")).hasValue("\"" + cls.get("version").asLong() + "\"");
		assertThat(get("/api/v1/classes/no-such-class", ADMIN).statusCode()).isEqualTo(404);
	}

	@Test
	void createsAClassThatInvitationsCanUse() {
		String name = newName();
		HttpResponse<String> created = postJson("/api/v1/classes", valid(name), ADMIN);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/classes/" + name);
		JsonNode cls = body(created);
		assertThat(cls.get("allowedDomains").get(0).asText()).isEqualTo("example.com");
		assertThat(cls.get("keyAlgorithms").toString()).contains("EC-P384");
		assertThat(cls.get("escalationAfter").asText()).isEqualTo("PT8H");
		assertThat(cls.get("retiredAt").isNull()).isTrue();

		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "Ada", "certificateClass", name), ADMIN);
		assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);

		HttpResponse<String> twice = postJson("/api/v1/classes", valid(name), ADMIN);
		assertThat(twice.statusCode()).isEqualTo(409);
		assertThat(body(twice).get("detail").asText()).contains("exists already");
	}

	@Test
	void refusesEveryWrongFieldWithAMessageNamingIt() {
		Map<String, Object[]> cases = new LinkedHashMap<>();
		cases.put("name", new Object[] { "Bad Name", "name must be" });
		cases.put("displayName", new Object[] { "", "displayName is required" });
		cases.put("description", new Object[] { "x".repeat(1001), "description is 1001 characters" });
		cases.put("issuanceProfile", new Object[] { "no-such-profile", "not a profile this CA knows" });
		cases.put("allowedDomains", new Object[] { List.of("not a domain"), "allowedDomains" });
		cases.put("keySources", new Object[] { List.of("USB"), "keySources: 'USB' is not one of" });
		cases.put("keyAlgorithms", new Object[] { List.of("DSA-1024"), "keyAlgorithms: 'DSA-1024'" });
		cases.put("validityDays", new Object[] { 826, "validityDays must be from 1 to 825" });
		cases.put("distributionMethods", new Object[] { List.of(), "distributionMethods must name at least one" });
		cases.put("defaultDistribution", new Object[] { "TOKEN", "defaultDistribution 'TOKEN' must be one of" });
		cases.put("escalationAfter", new Object[] { "8 hours", "escalationAfter must be an ISO-8601 duration" });
		cases.put("billingCode", new Object[] { "a b", "billingCode may hold" });
		Map<String, Object> zeroValidity = valid(newName());
		zeroValidity.put("validityDays", 0);
		assertThat(postJson("/api/v1/classes", zeroValidity, ADMIN).statusCode()).isEqualTo(400);
		Map<String, Object> negativeEscalation = valid(newName());
		negativeEscalation.put("escalationAfter", "-PT1H");
		assertThat(body(postJson("/api/v1/classes", negativeEscalation, ADMIN)).get("detail").asText())
			.contains("positive");
		cases.forEach((field, wrong) -> {
			Map<String, Object> body = valid(newName());
			body.put(field, wrong[0]);
			HttpResponse<String> response = postJson("/api/v1/classes", body, ADMIN);
			assertThat(response.statusCode()).as(field + ": " + response.body()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(body(response).get("detail").asText()).as(field).contains((String) wrong[1]);
		});
		assertThat(postJson("/api/v1/classes", "{\"name\":", ADMIN).statusCode()).isEqualTo(400);
		assertThat(postJson("/api/v1/classes", "{\"validityDays\":\"many\"}", ADMIN).statusCode()).isEqualTo(400);
	}

	@Test
	void changeNeedsTheCurrentVersion() {
		String name = created();
		HttpResponse<String> read = get("/api/v1/classes/" + name, ADMIN);
		String etag = read.headers().firstValue("ETag").orElseThrow();
		Map<String, Object> changed = valid(name);
		changed.put("validityDays", 90);

		HttpResponse<String> noVersion = put(name, changed, null);
		assertThat(noVersion.statusCode()).isEqualTo(428);
		assertThat(body(noVersion).get("detail").asText()).contains("If-Match");

		HttpResponse<String> ok = put(name, changed, etag);
		assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
		assertThat(body(ok).get("validityDays").asInt()).isEqualTo(90);
		assertThat(ok.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);

		HttpResponse<String> stale = put(name, changed, etag);
		assertThat(stale.statusCode()).isEqualTo(412);
		assertThat(body(stale).get("detail").asText()).contains("was changed since version");

		Map<String, Object> byField = valid(name);
		byField.put("version", body(ok).get("version").asLong());
		byField.put("validityDays", 30);
		assertThat(put(name, byField, null).statusCode()).isEqualTo(200);

		assertThat(put(name, changed, "not-an-etag").statusCode()).isEqualTo(400);
		Map<String, Object> renamed = valid(newName());
		assertThat(body(put(name, renamed, "\"5\"")).get("detail").asText()).contains("name cannot be changed");
		assertThat(put("no-such-class", valid("no-such-class"), "\"0\"").statusCode()).isEqualTo(404);
		Map<String, Object> invalid = valid(name);
		invalid.put("validityDays", 9999);
		assertThat(put(name, invalid, "\"99\"").statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/classes/" + name, ADMIN).body()).contains("\"validityDays\":30");
	}

	@Test
	void ofConcurrentChangesFromOneVersionOneWins() throws Exception {
		String name = created();
		String etag = get("/api/v1/classes/" + name, ADMIN).headers().firstValue("ETag").orElseThrow();
		int threads = 6;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<HttpResponse<String>> responses = new ArrayList<>();
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<HttpResponse<String>>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				int days = 100 + i;
				futures.add(pool.submit(() -> {
					start.await();
					Map<String, Object> body = valid(name);
					body.put("validityDays", days);
					return put(name, body, etag);
				}));
			}
			start.countDown();
			for (Future<HttpResponse<String>> future : futures) {
				responses.add(future.get(2, TimeUnit.MINUTES));
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isIn(200, 409, 412));
		assertThat(responses.stream().filter((r) -> r.statusCode() == 200)).hasSize(1);
		assertThat(body(get("/api/v1/classes/" + name, ADMIN)).get("version").asLong())
			.isEqualTo(Long.parseLong(etag.replace("\"", "")) + 1);
	}

	@Test
	void aRetiredClassTakesNoNewRequestsAndEarlierRequestsKeepIt() {
		String name = created();
		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "Ada", "certificateClass", name), ADMIN);
		String earlier = body(invited).get("requestId").asText();

		HttpResponse<String> retired = postJson("/api/v1/classes/" + name + "/retirement", "", ADMIN);
		assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
		assertThat(body(retired).get("retiredAt").asText()).isNotBlank();

		HttpResponse<String> refused = postJson("/api/v1/invitations",
				Map.of("email", newMailbox(), "fullName", "Ada", "certificateClass", name), ADMIN);
		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(body(refused).get("detail").asText()).contains("retired", "standard");
		HttpResponse<String> onBehalf = send(authenticated(
				HttpRequest.newBuilder(url("/api/v1/requests"))
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", UUID.randomUUID().toString())
					.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + newMailbox()
							+ "\",\"fullName\":\"Ada\",\"certificateClass\":\"" + name + "\",\"csrPem\":\"x\"}")),
				ADMIN));
		assertThat(onBehalf.statusCode()).isEqualTo(422);

		JsonNode request = request(earlier);
		assertThat(request.get("certificateClass").asText()).isEqualTo(name);
		assertThat(request.get("status").asText()).isEqualTo("INVITED");
		assertThat(postJson("/api/v1/classes/" + name + "/retirement", "", ADMIN).statusCode()).isEqualTo(409);
		assertThat(postJson("/api/v1/classes/no-such-class/retirement", "", ADMIN).statusCode()).isEqualTo(404);
	}

	@Test
	void changingAClassLeavesRequestsAlreadyMadeAsTheyWere() {
		String name = created();
		String email = newMailbox();
		HttpResponse<String> invited = postJson("/api/v1/invitations",
				Map.of("email", email, "fullName", "Ada", "certificateClass", name), ADMIN);
		String requestId = body(invited).get("requestId").asText();
		Map<String, Object> before = this.jdbc.queryForMap("select * from certificate_request where request_id = ?",
				requestId);
		String etag = get("/api/v1/classes/" + name, ADMIN).headers().firstValue("ETag").orElseThrow();
		Map<String, Object> changed = valid(name);
		changed.put("issueImmediately", false);
		changed.put("validityDays", 30);
		assertThat(put(name, changed, etag).statusCode()).isEqualTo(200);
		assertThat(this.jdbc.queryForMap("select * from certificate_request where request_id = ?", requestId))
			.isEqualTo(before);
	}

	@Test
	void officersAndAnonymousCallersCannotManageClasses() {
		for (String user : new String[] { null, OFFICER }) {
			int expected = (user == null) ? 401 : 403;
			assertThat(get("/api/v1/classes", user).statusCode()).isEqualTo(expected);
			assertThat(get("/api/v1/classes/standard", user).statusCode()).isEqualTo(expected);
			assertThat(postJson("/api/v1/classes", valid(newName()), user).statusCode()).isEqualTo(expected);
			assertThat(put("standard", valid("standard"), "\"0\"", user).statusCode()).isEqualTo(expected);
			assertThat(postJson("/api/v1/classes/standard/retirement", "", user).statusCode()).isEqualTo(expected);
		}
		assertThat(body(get("/api/v1/classes/standard", ADMIN)).get("retiredAt").isNull()).isTrue();
	}

	private String created() {
		String name = newName();
		HttpResponse<String> created = postJson("/api/v1/classes", valid(name), ADMIN);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return name;
	}

	private static String newName() {
		return "test-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static Map<String, Object> valid(String name) {
		Map<String, Object> body = new HashMap<>();
		body.put("name", name);
		body.put("displayName", "Test class " + name);
		body.put("description", "Made by ClassApiTest.");
		body.put("issuanceProfile", "standard");
		body.put("issueImmediately", true);
		body.put("allowedDomains", List.of("Example.com"));
		body.put("phoneRequired", false);
		body.put("pinRequired", false);
		body.put("keySources", List.of("BROWSER", "csr"));
		body.put("keyAlgorithms", List.of("EC-P256", "EC-P384", "RSA-2048"));
		body.put("validityDays", 365);
		body.put("distributionMethods", List.of("WEB_PICKUP", "P12_MAIL"));
		body.put("defaultDistribution", "WEB_PICKUP");
		body.put("billingCode", "SMIME-1");
		body.put("escalationAfter", "PT8H");
		return body;
	}

	private HttpResponse<String> put(String name, Map<String, Object> body, String ifMatch) {
		return put(name, body, ifMatch, ADMIN);
	}

	private HttpResponse<String> put(String name, Map<String, Object> body, String ifMatch, String user) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(url("/api/v1/classes/" + name))
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
			if (ifMatch != null) {
				request.header("If-Match", ifMatch);
			}
			return send(authenticated(request, user));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
