package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.certflow.directory.EmbeddedDirectory;
import org.certflow.directory.PublishCertificate;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.revocation.RevocationStore;
import org.certflow.revocation.RevocationStore.CaRole;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The certificate directory on the embedded default, read as a mail client does: with the
 * UnboundID SDK as an anonymous LDAP client, and with OpenLDAP's ldapsearch as the README
 * shows.
 */
class DirectoryTest extends IntegrationTest {

	private static final String BASE = "dc=certflow,dc=local";

	private static final Duration WAIT = Duration.ofSeconds(40);

	@Autowired
	private EmbeddedDirectory directory;

	@Autowired
	private ManagementService management;

	@Autowired
	private RuntimeService runtime;

	@Autowired
	private HistoryService history;

	@Autowired
	private PublishCertificate publishCertificate;

	@Autowired
	private RevocationStore revocationStore;

	@Test
	void issuedCertificateIsInTheHoldersEntryForAnyoneToReadAndLeavesItWhenRevoked() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		String serial = awaitStatus(requestId, "ISSUED").get("certificateSerial").asText();
		byte[] issued = issuedDer(requestId);

		Entry holder = awaitHolder(email, (entry) -> certificates(entry).size() == 1);
		assertThat(holder.getDN()).isEqualToIgnoringCase("mail=" + email + ",ou=people," + BASE);
		assertThat(holder.getObjectClassValues()).contains("inetOrgPerson");
		assertThat(holder.getAttributeValue("cn")).isEqualTo("Ada Applicant");
		assertThat(holder.getAttributeValue("sn")).isEqualTo("Applicant");
		assertThat(certificates(holder)).singleElement().isEqualTo(issued);

		// The CA entry holds the issuing CA certificate and the CRL relying parties
		// fetch.
		byte[] caCertificate = bytes("/ca/issuing-ca.cer");
		String caFilter = Filter.createEqualityFilter("cn", commonName(caCertificate)).toString();
		Entry ca = awaitEntry("ou=ca," + BASE, caFilter, (entry) -> !values(entry, "cACertificate").isEmpty());
		assertThat(values(ca, "cACertificate")).singleElement().isEqualTo(caCertificate);
		assertThat(ca.getObjectClassValues()).contains("pkiCA");

		assertThat(postJson("/api/v1/certificates/" + serial + "/revocation", Map.of("reason", "keyCompromise"), ADMIN)
			.statusCode()).isEqualTo(200);

		// on-revoke: remove (the default): the value leaves the entry within a sync.
		awaitHolder(email, (entry) -> certificates(entry).isEmpty());
		// The directory's CRL catches up with the signer's, which now lists the serial.
		Entry updated = awaitEntry("ou=ca," + BASE, caFilter,
				(entry) -> values(entry, "certificateRevocationList").stream()
					.anyMatch((crl) -> crlLists(crl, serial)));
		assertThat(values(updated, "certificateRevocationList")).singleElement()
			.isEqualTo(this.revocationStore.crl(CaRole.ISSUING).orElseThrow().der());
	}

	@Test
	void aDirectoryOutageFailsThePublishingJobWhichWritesExactlyOneValueOnceTheDirectoryIsBack() throws Exception {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		this.directory.stopListening();
		Job failed;
		try {
			assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
			awaitStatus(requestId, "ISSUED");
			failed = awaitPublishingJob(requestId, (job) -> job.getExceptionMessage() != null);
			assertThat(failed.getExceptionMessage()).contains("Could not publish the certificate");
			assertThat(failed.getDuedate()).as("next attempt waits out the outage")
				.isAfter(Date.from(Instant.now().plusSeconds(30)));

			// RA admins see it from the first failed attempt, officers do not.
			JsonNode failures = awaitFailure(requestId);
			assertThat(failures.get("kind").asText()).isEqualTo("CERTIFICATE");
			assertThat(failures.get("failedAttempts").asInt()).isEqualTo(1);
			assertThat(failures.get("lastError").asText()).contains("Could not publish");
			assertThat(get("/api/v1/directory/failures", OFFICER).statusCode()).isEqualTo(403);
			assertThat(get("/api/v1/directory/failures", null).statusCode()).isEqualTo(401);
			assertThat(RamcAccessTest.Console.login(this, ADMIN).get("/ramc").body())
				.containsPattern("Directory writes failing: [1-9]");

			// Collection never waits for the directory.
			String[] activation = activation(email);
			HttpResponse<String> collected = postJson("/api/v1/activations",
					Map.of("activationCode", activation[0], "pin", activation[1]), null);
			assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
			awaitStatus(requestId, "COLLECTED");
		}
		finally {
			this.directory.startListening();
		}

		// As an operator's retry in Cockpit would: the job runs now instead of in a
		// minute.
		this.management.setJobDuedate(failed.getId(), new Date());
		Entry holder = awaitHolder(email, (entry) -> certificates(entry).size() == 1);
		assertThat(certificates(holder)).singleElement().isEqualTo(issuedDer(requestId));
		awaitProcessEnd(requestId);

		// Publishing again (a retry after a lost commit) adds nothing.
		this.publishCertificate.publish(requestId);
		assertThat(certificates(readHolder(email))).hasSize(1);
		assertThat(body(get("/api/v1/directory/failures", ADMIN)).findValuesAsText("item")).doesNotContain(requestId);
	}

	@Test
	void anonymousClientsReadButCannotWrite() throws Exception {
		try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", this.directory.port())) {
			assertThat(anonymous.getEntry(BASE)).isNotNull();
			assertThatThrownBy(() -> anonymous.add("dn: mail=mallory@example.org,ou=people," + BASE,
					"objectClass: inetOrgPerson", "cn: Mallory", "sn: Mallory", "mail: mallory@example.org"))
				.isInstanceOfSatisfying(LDAPException.class,
						(ex) -> assertThat(ex.getResultCode()).isNotEqualTo(ResultCode.SUCCESS));
			assertThatThrownBy(() -> anonymous.modify(BASE, new Modification(ModificationType.ADD, "description", "x")))
				.isInstanceOf(LDAPException.class);
			assertThat(anonymous.getEntry("mail=mallory@example.org,ou=people," + BASE)).isNull();
			assertThat(anonymous.getEntry(BASE).getAttributeValue("description")).isNull();
			assertThatThrownBy(() -> anonymous.bind("cn=certflow," + BASE, "wrong-password")).isInstanceOfSatisfying(
					LDAPException.class,
					(ex) -> assertThat(ex.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
		}
	}

	@Test
	void readmesLdapsearchLineFindsTheCertificate() throws Exception {
		Tools.require("ldapsearch");
		String email = newMailbox();
		String requestId = submittedRequest(email);
		decide(requestId, "approve", null);
		awaitStatus(requestId, "ISSUED");
		awaitHolder(email, (entry) -> certificates(entry).size() == 1);

		// The README's line, on this test's port.
		Process ldapsearch = new ProcessBuilder("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H",
				"ldap://localhost:" + this.directory.port(), "-b", BASE, "(mail=" + email + ")",
				"userCertificate;binary")
			.redirectErrorStream(true)
			.start();
		assertThat(ldapsearch.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String out = new String(ldapsearch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(ldapsearch.exitValue()).as(out).isZero();
		assertThat(out)
			.contains("userCertificate;binary:: " + Base64.getEncoder().encodeToString(issuedDer(requestId)));
	}

	private byte[] issuedDer(String requestId) {
		return this.jdbc.queryForObject("select der from issued_certificate where request_id = ?", byte[].class,
				requestId);
	}

	private Entry readHolder(String email) throws LDAPException {
		return readEntry("ou=people," + BASE, "(mail=" + email + ")");
	}

	private Entry awaitHolder(String email, Predicate<Entry> until) throws LDAPException {
		return awaitEntry("ou=people," + BASE, "(mail=" + email + ")", until);
	}

	private Entry awaitEntry(String base, String filter, Predicate<Entry> until) throws LDAPException {
		Instant deadline = Instant.now().plus(WAIT);
		Entry entry = readEntry(base, filter);
		while (entry == null || !until.test(entry)) {
			if (Instant.now().isAfter(deadline)) {
				fail("The directory did not get there under " + base + " " + filter + ": " + entry);
			}
			pause();
			entry = readEntry(base, filter);
		}
		return entry;
	}

	/** Anonymous, as a mail client searches. */
	private Entry readEntry(String base, String filter) throws LDAPException {
		try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", this.directory.port())) {
			SearchResult result = anonymous.search(base, SearchScope.SUB, filter, "*");
			return result.getSearchEntries().isEmpty() ? null : result.getSearchEntries().get(0);
		}
	}

	private static List<byte[]> certificates(Entry entry) {
		return values(entry, "userCertificate");
	}

	/** Values of an attribute, with or without the ;binary option. */
	private static List<byte[]> values(Entry entry, String baseName) {
		return entry.getAttributes()
			.stream()
			.filter((attribute) -> attribute.getBaseName().equalsIgnoreCase(baseName))
			.flatMap((Attribute attribute) -> List.of(attribute.getValueByteArrays()).stream())
			.toList();
	}

	private static String commonName(byte[] certificate) throws Exception {
		X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(certificate));
		for (RDN rdn : new DN(parsed.getSubjectX500Principal().getName()).getRDNs()) {
			if (rdn.hasAttribute("cn")) {
				return rdn.getAttributeValues()[0];
			}
		}
		throw new AssertionError("no CN in " + parsed.getSubjectX500Principal());
	}

	private static boolean crlLists(byte[] der, String serialHex) {
		if (der == null) {
			return false;
		}
		try {
			X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
			return crl.getRevokedCertificate(new java.math.BigInteger(serialHex, 16)) != null;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Job awaitPublishingJob(String requestId, Predicate<Job> until) {
		Instant deadline = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(deadline)) {
			ProcessInstance instance = this.runtime.createProcessInstanceQuery()
				.processInstanceBusinessKey(requestId)
				.singleResult();
			Job job = (instance == null) ? null
					: this.management.createJobQuery()
						.processInstanceId(instance.getId())
						.activityId(Element.PUBLISH_CERTIFICATE)
						.singleResult();
			if (job != null && until.test(job)) {
				return job;
			}
			pause();
		}
		throw new AssertionError("The publishing job of " + requestId + " never got there");
	}

	private JsonNode awaitFailure(String requestId) {
		Instant deadline = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(deadline)) {
			HttpResponse<String> response = get("/api/v1/directory/failures", ADMIN);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			for (JsonNode failure : body(response)) {
				if (requestId.equals(failure.get("item").asText())) {
					return failure;
				}
			}
			pause();
		}
		throw new AssertionError("Request " + requestId + " never showed among the directory failures");
	}

	private void awaitProcessEnd(String requestId) {
		Instant deadline = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(deadline)) {
			if (this.history.createHistoricProcessInstanceQuery()
				.processInstanceBusinessKey(requestId)
				.finished()
				.count() == 1) {
				return;
			}
			pause();
		}
		throw new AssertionError("The process of " + requestId + " did not end");
	}

	private byte[] bytes(String path) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = this.http.send(
				java.net.http.HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30)).GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
