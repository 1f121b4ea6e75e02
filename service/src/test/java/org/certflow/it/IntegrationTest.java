package org.certflow.it;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Base of the integration suite: the whole application on a random port with its real
 * embedded mail server, talked to over HTTP and IMAP as a user would. Every subclass
 * shares one Spring context (same configuration, no mocks), so one engine runs per suite,
 * which also keeps the MariaDB run to one engine on its database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles(resolver = ItProfiles.class)
public abstract class IntegrationTest {

	protected static final String ADMIN = "admin";

	protected static final String OFFICER = "officer";

	private static final Duration WAIT = Duration.ofSeconds(40);

	private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

	private static final Pattern CODE = Pattern.compile("[?&]code=([A-Za-z0-9_-]+)");

	private static final Pattern PIN = Pattern.compile("PIN: (\\d+)");

	private static KeyPair rsaKey;

	/** The billing system the suite's CertFlow sends its billing events to. */
	protected static final BillingReceiver BILLING = new BillingReceiver();

	@DynamicPropertySource
	static void billingSystem(DynamicPropertyRegistry registry) {
		registry.add("certflow.billing.enabled", () -> "true");
		registry.add("certflow.billing.url", BILLING::url);
		registry.add("certflow.billing.authorization", () -> "Bearer suite-billing-secret");
	}

	protected final ObjectMapper json = new ObjectMapper();

	protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	protected int port;

	@Autowired
	protected GreenMail greenMail;

	@Autowired
	protected JdbcTemplate jdbc;

	@AfterEach
	void noRequestLeftHalfWritten() {
		// Every request row has its invitation: nothing is ever stored half-way.
		Integer orphans = this.jdbc.queryForObject("select count(*) from certificate_request r where not exists "
				+ "(select 1 from invitation i where i.request_id = r.request_id)", Integer.class);
		assertThat(orphans).isZero();
	}

	/**
	 * Leaves every certificate the suite issued, the CA certificates and both CRLs in
	 * {@code target/zlint-input/} for the independent linter CI runs after the build
	 * ({@code .ci/zlint-check}). Rows already written are remembered, so each test reads
	 * only the new ones.
	 */
	@AfterEach
	void leaveForZlint() throws IOException {
		for (Map<String, Object> row : this.jdbc.queryForList("select issuer, serial_hex from issued_certificate")) {
			String key = row.get("issuer") + "/" + row.get("serial_hex");
			if (LEFT_FOR_ZLINT.add(key)) {
				byte[] der = this.jdbc.queryForObject(
						"select der from issued_certificate where issuer = ? and serial_hex = ?", byte[].class,
						row.get("issuer"), row.get("serial_hex"));
				writeForZlint("cert", "CERTIFICATE", der);
			}
		}
		HttpResponse<String> chain = get("/ca/chain.pem", null);
		if (chain.statusCode() == 200) {
			Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")
				.matcher(chain.body());
			while (m.find()) {
				String b64 = m.group().replaceAll("-----[A-Z ]+-----|\\s", "");
				writeForZlint("ca", "CERTIFICATE", Base64.getDecoder().decode(b64));
			}
		}
		for (String crl : new String[] { "/ca/crl", "/ca/root.crl" }) {
			HttpResponse<byte[]> response = bytes(crl);
			if (response.statusCode() == 200) {
				writeForZlint("crl", "X509 CRL", response.body());
			}
		}
	}

	private static final Set<String> LEFT_FOR_ZLINT = ConcurrentHashMap.newKeySet();

	private static void writeForZlint(String kind, String label, byte[] der) throws IOException {
		Path dir = Files.createDirectories(Path.of("target", "zlint-input"));
		String hash;
		try {
			hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)).substring(0, 24);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		Path file = dir.resolve(kind + "-" + hash + ".pem");
		if (!Files.exists(file)) {
			String b64 = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der);
			Files.writeString(file, "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n",
					StandardCharsets.US_ASCII);
		}
	}

	private HttpResponse<byte[]> bytes(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(60)).GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	// --- HTTP
	// ------------------------------------------------------------------------------

	protected URI url(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	protected HttpResponse<String> get(String path, String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
		return send(authenticated(request, user));
	}

	protected HttpResponse<String> postJson(String path, Object body, String user) {
		try {
			String text = (body instanceof String s) ? s : this.json.writeValueAsString(body);
			HttpRequest.Builder request = HttpRequest.newBuilder(url(path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(text));
			return send(authenticated(request, user));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	protected HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	protected static HttpRequest.Builder authenticated(HttpRequest.Builder request, String user) {
		if (user != null) {
			String credentials = user + ":" + user;
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return request;
	}

	protected JsonNode body(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new AssertionError("Not JSON: " + response.body(), ex);
		}
	}

	// --- RA, applicant and officer steps
	// --------------------------------------------------------

	protected static String newMailbox() {
		return "applicant-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org";
	}

	protected String invite(String email) {
		HttpResponse<String> response = postJson("/api/v1/invitations",
				Map.of("email", email, "fullName", "Ada Applicant", "certificateClass", "standard"), ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return body(response).get("requestId").asText();
	}

	protected String invitationToken(String email) {
		return find(TOKEN, awaitMail(email, "invitation"));
	}

	protected HttpResponse<String> submit(String token, String csrPem, String email) {
		return postJson("/api/v1/applications",
				Map.of("invitationToken", token, "csrPem", csrPem, "fullName", "Ada Applicant", "email", email), null);
	}

	/**
	 * Invites, reads the mail and submits a CSR; returns the request id.
	 */
	protected String submittedRequest(String email) {
		// A key is certified for one subscriber only, so every request gets a fresh one.
		return submittedRequest(email, newEcKey("secp256r1"));
	}

	protected String submittedRequest(String email, KeyPair key) {
		String requestId = invite(email);
		HttpResponse<String> submitted = submit(invitationToken(email), csrPem(key, "CN=ignored"), email);
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		awaitStatus(requestId, "PENDING_VALIDATION");
		return requestId;
	}

	protected String officerTaskId(String requestId) {
		HttpResponse<String> tasks = get("/engine-rest/task?processInstanceBusinessKey=" + requestId, OFFICER);
		assertThat(tasks.statusCode()).as(tasks.body()).isEqualTo(200);
		JsonNode list = body(tasks);
		assertThat(list.size()).as("officer's tasks for " + requestId).isEqualTo(1);
		return list.get(0).get("id").asText();
	}

	protected HttpResponse<String> decide(String requestId, String decision, String reason) {
		Map<String, Object> variables = (reason == null) ? Map.of("decision", Map.of("value", decision))
				: Map.of("decision", Map.of("value", decision), "decisionReason", Map.of("value", reason));
		return postJson("/engine-rest/task/" + officerTaskId(requestId) + "/complete", Map.of("variables", variables),
				OFFICER);
	}

	protected JsonNode request(String requestId) {
		HttpResponse<String> response = get("/api/v1/requests/" + requestId, ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return body(response);
	}

	protected JsonNode awaitStatus(String requestId, String status) {
		Instant until = Instant.now().plus(WAIT);
		JsonNode current = request(requestId);
		while (!status.equals(current.get("status").asText())) {
			if (Instant.now().isAfter(until)) {
				fail("Request " + requestId + " stayed " + current.get("status") + ", expected " + status);
			}
			pause();
			current = request(requestId);
		}
		return current;
	}

	protected String[] activation(String email) {
		String mail = awaitMail(email, "ready");
		return new String[] { find(CODE, mail), find(PIN, mail) };
	}

	// --- mail over IMAP
	// ---------------------------------------------------------------------------

	/**
	 * Waits for a mail whose subject contains the given word and returns its text, read
	 * over IMAP with login = password = the address, as the README tells a user to.
	 */
	protected String awaitMail(String address, String subjectWord) {
		Instant until = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(until)) {
			String text = readMail(address, subjectWord);
			if (text != null) {
				return text;
			}
			pause();
		}
		throw new AssertionError("No mail about '" + subjectWord + "' reached " + address);
	}

	protected String readMail(String address, String subjectWord) {
		Properties properties = new Properties();
		properties.put("mail.imap.host", "127.0.0.1");
		properties.put("mail.imap.port", String.valueOf(this.greenMail.getImap().getPort()));
		try {
			Store store = Session.getInstance(properties).getStore("imap");
			store.connect(address, address);
			try {
				Folder inbox = store.getFolder("INBOX");
				inbox.open(Folder.READ_ONLY);
				String found = null;
				for (Message message : inbox.getMessages()) {
					if (message.getSubject().contains(subjectWord)) {
						found = message.getContent().toString();
					}
				}
				inbox.close(false);
				return found;
			}
			finally {
				store.close();
			}
		}
		catch (jakarta.mail.AuthenticationFailedException ex) {
			// GreenMail creates the mailbox on first delivery; until then the login
			// fails.
			return null;
		}
		catch (jakarta.mail.MessagingException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static String find(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			throw new AssertionError("No " + pattern + " in mail:\n" + text);
		}
		return matcher.group(1);
	}

	// --- keys and CSRs
	// ---------------------------------------------------------------------------

	protected static synchronized KeyPair rsaKey() {
		if (rsaKey == null) {
			rsaKey = newRsaKey(2048);
		}
		return rsaKey;
	}

	protected static KeyPair newRsaKey(int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(bits);
			return generator.generateKeyPair();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static KeyPair newEcKey(String curve) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec(curve));
			return generator.generateKeyPair();
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static PKCS10CertificationRequest csr(KeyPair key, String subject) {
		try {
			String algorithm = key.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
			return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
				.build(new JcaContentSignerBuilder(algorithm).build(key.getPrivate()));
		}
		catch (org.bouncycastle.operator.OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static String csrPem(KeyPair key, String subject) {
		return pem(csr(key, subject));
	}

	protected static String pem(Object object) {
		try {
			StringWriter out = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
				writer.writeObject(object);
			}
			return out.toString();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static void pause() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
