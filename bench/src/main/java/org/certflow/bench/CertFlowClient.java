package org.certflow.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * CertFlow's public contract as its users drive it: the RA admin invites over the RA API,
 * the applicant reads the invitation over IMAP and submits a CSR, the officer completes
 * the validation task over the engine REST API, and the RA admin reads the request's
 * status. Nothing here reaches inside the service.
 */
final class CertFlowClient {

	private static final String ADMIN = "admin";

	private static final String OFFICER = "officer";

	/** The topic the model hands signing to; only a hint for when to look (see below). */
	private static final String SIGNING_TOPIC = "ca-sign-certificate";

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final ObjectMapper json = new ObjectMapper();

	private final String base;

	private final int imapPort;

	CertFlowClient(int httpPort, int imapPort) {
		this.base = "http://127.0.0.1:" + httpPort;
		this.imapPort = imapPort;
	}

	static String newMailbox() {
		return "bench-" + UUID.randomUUID().toString().substring(0, 13) + "@example.org";
	}

	/**
	 * @return the request id
	 */
	String invite(String email) {
		JsonNode created = expect(201, post("/api/v1/invitations",
				Map.of("email", email, "fullName", "Bench Applicant", "certificateClass", "standard"), ADMIN));
		return created.get("requestId").asText();
	}

	/** Waits for the invitation mail and returns the token from its link. */
	String invitationToken(String email) throws InterruptedException {
		Instant until = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(until)) {
			String mail = readMail(email, "invitation");
			if (mail != null) {
				Matcher token = TOKEN.matcher(mail);
				if (!token.find()) {
					throw new IllegalStateException("The invitation to " + email + " has no link with a token.");
				}
				return token.group(1);
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("No invitation reached " + email + " within " + WAIT);
	}

	/** Submits a CSR for a fresh key, as every applicant has a key of their own. */
	void submit(String token, String email) {
		expect(202, post("/api/v1/applications", Map.of("invitationToken", token, "csrPem",
				csrPem(SigningKey.EC_P256.generate()), "fullName", "Bench Applicant", "email", email), null));
	}

	/** Waits until the request's validation task is in the officers' queue. */
	String awaitOfficerTask(String requestId) throws InterruptedException {
		Instant until = Instant.now().plus(WAIT);
		while (Instant.now().isBefore(until)) {
			JsonNode tasks = expect(200,
					get("/engine-rest/task?processInstanceBusinessKey=" + encode(requestId), OFFICER));
			if (tasks.size() == 1) {
				return tasks.get(0).get("id").asText();
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("No validation task for request " + requestId + " within " + WAIT);
	}

	/** Completes the validation task with the officer's decision to approve. */
	void approve(String taskId) {
		Map<String, Object> variables = Map.of("decision", Map.of("value", "approve"), "decisionReason",
				Map.of("value", "Identity checked"));
		HttpResponse<String> response = post("/engine-rest/task/" + encode(taskId) + "/complete",
				Map.of("variables", variables), OFFICER);
		if (response.statusCode() != 204) {
			throw new IllegalStateException(
					"Approving task " + taskId + " answered " + response.statusCode() + ": " + response.body());
		}
	}

	/**
	 * @return the request's business status and the server's time of its last change; for
	 * a request in ISSUED that is the moment it was issued
	 */
	RequestState state(String requestId) {
		JsonNode request = expect(200, get("/api/v1/requests/" + encode(requestId), ADMIN));
		JsonNode updated = request.get("updatedAt");
		return new RequestState(request.get("status").asText(),
				(updated == null || updated.isNull()) ? null : Instant.parse(updated.asText()));
	}

	/**
	 * Signing tasks still open, asked in one cheap query, so that the benchmark does not
	 * load the service with status reads while it drains. Empty when the engine does not
	 * answer (another topic, other rights): the caller then just reads the statuses.
	 */
	OptionalLong openSigningTasks() {
		HttpResponse<String> response = get("/engine-rest/external-task/count?topicName=" + SIGNING_TOPIC, ADMIN);
		if (response.statusCode() != 200) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(parse(response).get("count").asLong());
	}

	// --- HTTP

	private HttpResponse<String> get(String path, String user) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET(), user);
	}

	private HttpResponse<String> post(String path, Object body, String user) {
		try {
			return send(HttpRequest.newBuilder(URI.create(this.base + path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body))), user);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String user) {
		if (user != null) {
			// The demo users' password equals their name.
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
		}
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode expect(int status, HttpResponse<String> response) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
					+ " answered " + response.statusCode() + " (expected " + status + "): " + response.body());
		}
		return parse(response);
	}

	private JsonNode parse(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Not JSON: " + response.body(), ex);
		}
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	// --- mail

	/**
	 * Reads the applicant's mailbox over IMAP with login = password = the address, as the
	 * README tells an applicant to.
	 */
	private String readMail(String address, String subjectWord) {
		Properties properties = new Properties();
		properties.put("mail.imap.host", "127.0.0.1");
		properties.put("mail.imap.port", String.valueOf(this.imapPort));
		properties.put("mail.imap.connectiontimeout", "5000");
		properties.put("mail.imap.timeout", "30000");
		try {
			Store store = Session.getInstance(properties).getStore("imap");
			try {
				store.connect(address, address);
			}
			catch (AuthenticationFailedException ex) {
				// The mailbox exists only once the first mail reached it.
				return null;
			}
			try {
				Folder inbox = store.getFolder("INBOX");
				inbox.open(Folder.READ_ONLY);
				try {
					for (Message message : inbox.getMessages()) {
						if (message.getSubject().contains(subjectWord)) {
							return message.getContent().toString();
						}
					}
					return null;
				}
				finally {
					inbox.close(false);
				}
			}
			finally {
				store.close();
			}
		}
		catch (MessagingException ex) {
			throw new IllegalStateException("Reading " + address + " over IMAP failed: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// --- CSR

	private static String csrPem(KeyPair key) {
		try {
			Object csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), key.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
			StringWriter out = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
				writer.writeObject(csr);
			}
			return out.toString();
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param status the business status
	 * @param updatedAt the server's time of the last change
	 */
	record RequestState(String status, Instant updatedAt) {

		boolean issued() {
			return "ISSUED".equals(this.status);
		}

	}

}
