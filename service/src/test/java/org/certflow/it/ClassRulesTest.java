package org.certflow.it;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class decides which keys it accepts and how long its certificates live: a key the
 * class does not allow is refused at submission, by the applicant and on a user's behalf
 * alike, with nothing stored; the certificate lives as long as the class says, never
 * longer than its profile allows.
 */
class ClassRulesTest extends IntegrationTest {

	@AfterEach
	void restoreStandard() {
		this.jdbc.update("update certificate_class set key_algorithms = 'RSA-2048,RSA-3072,RSA-4096,EC-P256,EC-P384', "
				+ "validity_days = 365 where name = 'standard'");
	}

	@Test
	void aKeyTheClassDoesNotAcceptIsRefusedAtSubmission() {
		this.jdbc.update("update certificate_class set key_algorithms = 'RSA-3072,RSA-4096' where name = 'standard'");
		String email = newMailbox();
		String requestId = invite(email);

		HttpResponse<String> refused = submit(invitationToken(email), csrPem(newEcKey("secp256r1"), "CN=x"), email);

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		assertThat(body(refused).get("detail").asText()).contains("accepts RSA-3072, RSA-4096 keys", "EC-P256");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");

		HttpResponse<String> onBehalf = send(authenticated(java.net.http.HttpRequest.newBuilder(url("/api/v1/requests"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", java.util.UUID.randomUUID().toString())
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(this.json
				.valueToTree(Map.of("email", newMailbox(), "fullName", "Bob Example", "certificateClass", "standard",
						"csrPem", csrPem(newEcKey("secp384r1"), "CN=x")))
				.toString())), ADMIN));
		assertThat(onBehalf.statusCode()).as(onBehalf.body()).isEqualTo(400);
		assertThat(body(onBehalf).get("detail").asText()).contains("EC-P384");
	}

	@Test
	void theCertificateLivesAsLongAsTheClassSaysAndNoLongerThanItsProfile() throws Exception {
		this.jdbc.update("update certificate_class set validity_days = 30 where name = 'standard'");
		assertThat(lifetime(issuedCertificate())).isEqualTo(Duration.ofDays(30));

		this.jdbc.update("update certificate_class set validity_days = 800 where name = 'standard'");
		assertThat(lifetime(issuedCertificate())).as("capped at the profile's P365D").isEqualTo(Duration.ofDays(365));
	}

	private X509Certificate issuedCertificate() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		// A class change after submission does not count: this one came before.
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		HttpResponse<String> collected = postJson("/api/v1/activations",
				Map.of("activationCode", activation[0], "pin", activation[1]), null);
		List<X509Certificate> chain = IssuancePathTest.certificates(collected.body());
		return chain.get(0);
	}

	private static Duration lifetime(X509Certificate certificate) {
		// notAfter is inclusive: the last second of the life.
		return Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant())
			.plusSeconds(1);
	}

}
