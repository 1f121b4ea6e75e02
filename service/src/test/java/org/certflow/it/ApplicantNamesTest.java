package org.certflow.it;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile full names at both doors where a name enters (the RA's invitation and the
 * applicant's application): each is either refused with a 400 that names the rule, with
 * nothing stored, or accepted and signed with a common name that is exactly the stored
 * name. The rule is the CA's own, so nothing accepted here can get stuck at signing.
 */
class ApplicantNamesTest extends IntegrationTest {

	private static final Map<String, String> REFUSED = new LinkedHashMap<>();

	static {
		REFUSED.put("  ", "required");
		REFUSED.put("\uD83D\uDE00".repeat(40), "longer than 64");
		REFUSED.put("N".repeat(65), "longer than 64");
		REFUSED.put("Ada\u0007Lovelace", "U+0007");
		REFUSED.put("Ada\u0000", "U+0000");
		REFUSED.put("Ada \u202EnaciL", "U+202E");
		REFUSED.put("Ada \uD800 Lovelace", "U+D800");
		REFUSED.put("Zoe\u0308", "normal form C");
		// The engine's MySQL tables hold three-byte UTF-8 only; refused on every
		// database.
		REFUSED.put("Ada \uD83D\uDE00", "Basic Multilingual Plane");
		REFUSED.put("\uD83D\uDE00".repeat(32), "Basic Multilingual Plane");
	}

	// Leading and trailing white space is trimmed where the name enters, as a form field
	// would be; the stored name is what gets signed.
	private static final List<String> ACCEPTED = List.of("#x", "#Alice", "Ada = Lovelace", "Lovelace, Ada",
			"Ada + Charles", "Ada \"Countess\" Lovelace", "Ada \\ Lovelace", "x\u0301", "\u674E\u5C0F\u9F8D",
			"N".repeat(64), " Ada Lovelace ");

	@Test
	void invitationRefusesNamesTheCaWouldNotSignWithTheRule() {
		REFUSED.forEach((name, rule) -> {
			long before = this.jdbc.queryForObject("select count(*) from certificate_request", Long.class);
			HttpResponse<String> response = postJson("/api/v1/invitations", "{\"email\":\"" + newMailbox()
					+ "\",\"fullName\":" + jsonString(name) + ",\"certificateClass\":\"standard\"}", ADMIN);
			assertThat(response.statusCode()).as(printable(name) + ": " + response.body()).isEqualTo(400);
			assertThat(body(response).get("detail").asText()).as(printable(name)).contains(rule);
			assertThat(this.jdbc.queryForObject("select count(*) from certificate_request", Long.class))
				.isEqualTo(before);
		});
	}

	@Test
	void applicationRefusesNamesTheCaWouldNotSignWithTheRule() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		REFUSED.forEach((name, rule) -> {
			HttpResponse<String> response = postJson("/api/v1/applications",
					"{\"invitationToken\":\"" + token + "\",\"csrPem\":" + jsonString(csrPem(rsaKey(), "CN=x"))
							+ ",\"fullName\":" + jsonString(name) + ",\"email\":\"" + email + "\"}",
					null);
			assertThat(response.statusCode()).as(printable(name) + ": " + response.body()).isEqualTo(400);
			assertThat(body(response).get("detail").asText()).as(printable(name)).contains(rule);
			assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");
		});
		assertThat(
				this.jdbc.queryForObject("select count(*) from invitation where request_id = ? and consumed_at is null",
						Integer.class, requestId))
			.isEqualTo(1);
	}

	@Test
	void acceptedNamesAreSignedExactlyAsStored() throws Exception {
		List<String[]> requests = new ArrayList<>();
		for (String name : ACCEPTED) {
			String email = newMailbox();
			HttpResponse<String> invited = inviteNamed(email, name);
			assertThat(invited.statusCode()).as(printable(name) + ": " + invited.body()).isEqualTo(201);
			assertThat(body(invited).get("fullName").asText()).isEqualTo(name.strip());
			requests.add(new String[] { name, email, body(invited).get("requestId").asText() });
		}
		for (String[] r : requests) {
			// The applicant sends the name again, as the form does: the same door checks
			// it.
			HttpResponse<String> submitted = postJson("/api/v1/applications",
					Map.of("invitationToken", invitationToken(r[1]), "csrPem",
							csrPem(newEcKey("secp256r1"), "CN=ignored"), "fullName", r[0], "email", r[1]),
					null);
			assertThat(submitted.statusCode()).as(printable(r[0]) + ": " + submitted.body()).isEqualTo(202);
		}
		for (String[] r : requests) {
			awaitStatus(r[2], "PENDING_VALIDATION");
			assertThat(decide(r[2], "approve", null).statusCode()).isEqualTo(204);
		}
		for (String[] r : requests) {
			JsonNode issued = awaitStatus(r[2], "ISSUED");
			String[] activation = activation(r[1]);
			HttpResponse<String> collected = postJson("/api/v1/activations",
					Map.of("activationCode", activation[0], "pin", activation[1]), null);
			assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
			X509Certificate leaf = IssuancePathTest.certificates(collected.body()).get(0);
			assertThat(commonName(leaf)).as(printable(r[0])).isEqualTo(issued.get("fullName").asText());
			assertThat(commonName(leaf)).isEqualTo(r[0].strip());
		}
	}

	@Test
	void csrSubjectWithCharactersNoNameMayHoldIsShownEscaped() {
		String email = newMailbox();
		String requestId = invite(email);
		HttpResponse<String> submitted = submit(invitationToken(email),
				csrPem(newEcKey("secp256r1"), "CN=Ada \uD83D\uDE00 \u202Egnp.exe,O=Example"), email);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		awaitStatus(requestId, "PENDING_VALIDATION");
		String shown = this.jdbc.queryForObject(
				"select requested_subject from certificate_request where request_id = ?", String.class, requestId);
		assertThat(shown).contains("\\u{1F600}", "\\u202E").doesNotContain("\uD83D\uDE00", "\u202E");
	}

	private HttpResponse<String> inviteNamed(String email, String name) {
		return postJson("/api/v1/invitations", Map.of("email", email, "fullName", name, "certificateClass", "standard"),
				ADMIN);
	}

	/** The one CN of the subject, read from DER as the UTF8String it must be. */
	private static String commonName(X509Certificate certificate) {
		X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
		RDN[] cn = subject.getRDNs(BCStyle.CN);
		assertThat(cn).hasSize(1);
		assertThat(cn[0].isMultiValued()).isFalse();
		ASN1Encodable value = cn[0].getFirst().getValue();
		assertThat(value).isInstanceOf(DERUTF8String.class);
		return ((DERUTF8String) value).getString();
	}

	/**
	 * A JSON string with every character outside printable ASCII as a backslash-u escape,
	 * so that an unpaired surrogate reaches the server as one (UTF-8 cannot carry it).
	 */
	private static String jsonString(String text) {
		StringBuilder out = new StringBuilder("\"");
		text.chars()
			.forEach((c) -> out.append((c < 0x20 || c > 0x7e || c == '"' || c == '\\') ? String.format("\\u%04x", c)
					: String.valueOf((char) c)));
		return out.append('"').toString();
	}

	private static String printable(String name) {
		StringBuilder out = new StringBuilder();
		name.chars().forEach((c) -> out.append((c < 0x20 || c > 0x7e) ? String.format("\\u%04X", c) : (char) c));
		return out.toString();
	}

}
