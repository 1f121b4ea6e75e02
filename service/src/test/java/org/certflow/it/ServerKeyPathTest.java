package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.certflow.delivery.DeliverServerKey;
import org.certflow.request.GenerateServerKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key made by the server, over HTTP end to end: the application page takes the key file
 * password (a weak one is refused with the reason), Task_GenerateKeyPair makes the key
 * before signing, and the success page after the PIN hands out the PKCS#12 once: OpenSSL
 * 3 opens it without -legacy, keytool lists the key, the key matches the certificate, and
 * the server keeps nothing after it.
 */
class ServerKeyPathTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final String PASSWORD = "tangerine orbit velvet quarry lantern";

	@Autowired
	DeliverServerKey deliverServerKey;

	@Autowired
	GenerateServerKey generateServerKey;

	@TempDir
	Path dir;

	@Test
	void serverMadeKeyIsIssuedAndDownloadedOnceAsAPkcs12ThatOpensslAndKeytoolRead() throws Exception {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);

		// The application page offers the server-made key with its strength meter.
		Session apply = open("/apply?token=" + token, null);
		assertThat(apply.page).contains("keySource-SERVER", "name=\"p12Password\"", "<meter", "aria-live");
		HttpResponse<String> weak = postForm("/apply", apply, Map.of("token", token, "fullName", "Ada Applicant",
				"keySource", "SERVER", "p12Password", "AdaApplicant2026!"));
		assertThat(weak.statusCode()).isEqualTo(400);
		assertThat(weak.body()).contains("too easy to guess", "five or more random words")
			.doesNotContain("AdaApplicant2026!");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");

		HttpResponse<String> applied = postForm("/apply", apply,
				Map.of("token", token, "fullName", "Ada Applicant", "keySource", "SERVER", "p12Password", PASSWORD));
		assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
		assertThat(applied.body()).doesNotContain(PASSWORD);
		awaitStatus(requestId, "PENDING_VALIDATION");
		// Only the escrow so far: no key, no CSR, no password.
		Map<String, Object> row = keyRow(requestId);
		assertThat(row.get("sealed_key")).isNull();
		assertThat(this.jdbc.queryForObject("select count(*) from certificate_request where request_id = ? and "
				+ "csr_der is null and key_source = 'SERVER'", Integer.class, requestId))
			.isEqualTo(1);

		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		byte[] sealed = (byte[]) keyRow(requestId).get("sealed_key");
		assertThat(sealed).isNotNull();
		// A retry of Task_GenerateKeyPair after it committed makes no second key.
		byte[] csr = this.jdbc.queryForObject("select csr_der from certificate_request where request_id = ?",
				byte[].class, requestId);
		this.generateServerKey.generate(requestId);
		assertThat(keyRow(requestId).get("sealed_key")).isEqualTo(sealed);
		assertThat(this.jdbc.queryForObject("select csr_der from certificate_request where request_id = ?",
				byte[].class, requestId))
			.isEqualTo(csr);
		assertThat(request(requestId).toString()).contains("ECDSA P-256");

		String[] activation = activation(email);
		Session activate = open("/activate?code=" + activation[0], null);
		HttpResponse<String> right = postForm("/activate", activate,
				Map.of("code", activation[0], "pin", activation[1]));
		assertThat(right.statusCode()).isEqualTo(303);
		String cookie = right.headers().firstValue("Set-Cookie").map((value) -> value.split(";", 2)[0]).orElseThrow();
		Session done = open("/activate/done", cookie);
		assertThat(done.page).contains("Download your key and certificate", "name=\"password\"");

		// A wrong password: said so, counted, nothing deleted.
		HttpResponse<String> wrong = postForm("/activate/key.p12", done, Map.of("password", "not the password"));
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(wrong.body()).contains("The password is wrong", "4 attempts left");
		assertThat(keyRow(requestId).get("wrong_passwords")).isEqualTo(1);
		// The session from before the PIN (its id changed with the PIN) gets nothing: its
		// CSRF token no longer matches a session, and no window is open in it.
		assertThat(postForm("/activate/key.p12", activate, Map.of("password", PASSWORD)).statusCode()).isIn(403, 410);
		// Without the CSRF token: refused.
		assertThat(postForm("/activate/key.p12", new Session(done.page, "forged", done.cookie),
				Map.of("password", PASSWORD))
			.statusCode()).isEqualTo(403);
		assertThat(keyRow(requestId)).isNotNull();

		// Two downloads at once: exactly one file.
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<HttpResponse<byte[]>>> downloads = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			downloads.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return postFormBytes("/activate/key.p12", done, Map.of("password", PASSWORD));
			}));
		}
		start.countDown();
		List<HttpResponse<byte[]>> answers = downloads.stream().map(CompletableFuture::join).toList();
		assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 410);
		HttpResponse<byte[]> file = answers.stream().filter((a) -> a.statusCode() == 200).findFirst().orElseThrow();
		assertThat(file.headers().firstValue("Content-Type")).hasValue("application/x-pkcs12");
		assertThat(file.headers().firstValue("Cache-Control")).hasValue("no-store");
		HttpResponse<byte[]> late = answers.stream().filter((a) -> a.statusCode() == 410).findFirst().orElseThrow();
		assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("already been delivered");

		// The key is gone from the server, and was never written anywhere else.
		assertThat(this.jdbc.queryForObject("select count(*) from server_key where request_id = ?", Integer.class,
				requestId))
			.isZero();
		assertThat(
				this.jdbc.queryForList("select detail from request_event where request_id = ?", String.class, requestId)
					.stream()
					.filter((detail) -> detail != null && detail.contains(PASSWORD)))
			.isEmpty();
		HttpResponse<String> again = postForm("/activate/key.p12", done, Map.of("password", PASSWORD));
		assertThat(again.statusCode()).isEqualTo(410);
		assertThat(again.body()).contains("already been delivered");

		// Java reads it: a private key entry whose key matches the certificate.
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(new ByteArrayInputStream(file.body()), PASSWORD.toCharArray());
		String alias = store.aliases().nextElement();
		assertThat(store.isKeyEntry(alias)).isTrue();
		X509Certificate leaf = (X509Certificate) store.getCertificate(alias);
		assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=Ada Applicant");
		assertThat(store.getCertificateChain(alias)).hasSizeGreaterThanOrEqualTo(2);
		PrivateKey key = (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(key);
		signer.update("proof".getBytes(StandardCharsets.US_ASCII));
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance("SHA256withECDSA");
		verifier.initVerify(leaf.getPublicKey());
		verifier.update("proof".getBytes(StandardCharsets.US_ASCII));
		assertThat(verifier.verify(signature)).as("the key matches the certificate").isTrue();

		Path p12 = this.dir.resolve("certificate-and-key.p12");
		Files.write(p12, file.body());
		Tools.requireOpenssl();
		String openssl = run("openssl", "pkcs12", "-in", p12.toString(), "-info", "-nodes", "-passin",
				"pass:" + PASSWORD);
		assertThat(openssl).contains("PBKDF2", "AES-256-CBC", "hmacWithSHA256", "PRIVATE KEY", "Ada Applicant");
		Tools.require("keytool");
		String keytool = run("keytool", "-list", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass",
				PASSWORD);
		assertThat(keytool).contains("PrivateKeyEntry");
	}

	@Test
	void theApiTakesTheKeyFilePasswordRefusesAWeakOrMissingOneAndIgnoresItForACsr() {
		String email = newMailbox();
		String requestId = invite(email);
		String token = invitationToken(email);
		Map<String, Object> application = new LinkedHashMap<>(
				Map.of("invitationToken", token, "fullName", "Ada Applicant", "email", email, "keySource", "SERVER"));

		HttpResponse<String> missing = postJson("/api/v1/applications", application, null);
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(body(missing).get("detail").asText()).contains("p12Password is required");
		application.put("p12Password", "Password123!");
		HttpResponse<String> weak = postJson("/api/v1/applications", application, null);
		assertThat(weak.statusCode()).isEqualTo(400);
		assertThat(body(weak).get("detail").asText()).contains("too easy to guess", "at least 112");
		assertThat(weak.body()).doesNotContain("Password123!");
		assertThat(request(requestId).get("status").asText()).isEqualTo("INVITED");

		application.put("p12Password", PASSWORD);
		HttpResponse<String> accepted = postJson("/api/v1/applications", application, null);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		assertThat(accepted.body()).doesNotContain(PASSWORD).contains("ECDSA P-256");
		assertThat(keyRow(requestId)).isNotNull();

		// A password sent with a CSR protects nothing: it is not stored.
		String other = newMailbox();
		String otherId = invite(other);
		HttpResponse<String> csr = postJson("/api/v1/applications",
				Map.of("invitationToken", invitationToken(other), "fullName", "Ada Applicant", "email", other, "csrPem",
						csrPem(newEcKey("secp256r1"), "CN=x"), "keySource", "CSR", "p12Password", PASSWORD),
				null);
		assertThat(csr.statusCode()).as(csr.body()).isEqualTo(202);
		assertThat(this.jdbc.queryForObject("select count(*) from server_key where request_id = ?", Integer.class,
				otherId))
			.isZero();

		// The request ends without a delivery: the sweep deletes the escrow.
		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(postJson("/api/v1/requests/" + requestId + "/cancellation", Map.of("reason", "test"), ADMIN)
			.statusCode()).isEqualTo(200);
		assertThat(this.deliverServerKey.sweep()).isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from server_key where request_id = ?", Integer.class,
				requestId))
			.isZero();
	}

	@Test
	void fiveWrongKeyFilePasswordsDeleteTheKey() {
		String email = newMailbox();
		String requestId = invite(email);
		HttpResponse<String> accepted = postJson("/api/v1/applications", Map.of("invitationToken",
				invitationToken(email), "fullName", "Ada Applicant", "keySource", "SERVER", "p12Password", PASSWORD),
				null);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String[] activation = activation(email);
		Session activate = open("/activate?code=" + activation[0], null);
		HttpResponse<String> right = postForm("/activate", activate,
				Map.of("code", activation[0], "pin", activation[1]));
		String cookie = right.headers().firstValue("Set-Cookie").map((value) -> value.split(";", 2)[0]).orElseThrow();
		Session done = open("/activate/done", cookie);

		for (int left = 4; left >= 1; left--) {
			HttpResponse<String> wrong = postForm("/activate/key.p12", done, Map.of("password", "wrong " + left));
			assertThat(wrong.statusCode()).isEqualTo(403);
			assertThat(wrong.body()).contains(left + ((left == 1) ? " attempt left" : " attempts left"));
		}
		HttpResponse<String> locked = postForm("/activate/key.p12", done, Map.of("password", "wrong again"));
		assertThat(locked.statusCode()).isEqualTo(423);
		assertThat(locked.body()).contains("the key has been deleted").doesNotContain("name=\"password\"");
		assertThat(keyRow(requestId)).isNull();
		assertThat(postForm("/activate/key.p12", done, Map.of("password", PASSWORD)).statusCode()).isEqualTo(410);
	}

	private Map<String, Object> keyRow(String requestId) {
		List<Map<String, Object>> rows = this.jdbc
			.queryForList("select sealed_key, wrong_passwords from server_key where request_id = ?", requestId);
		return rows.isEmpty() ? null : rows.get(0);
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(out).isZero();
		return out;
	}

	private Session open(String path, String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		HttpResponse<String> page = send(request);
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("page carries a CSRF token").isTrue();
		String session = (cookie != null) ? cookie
				: page.headers().firstValue("Set-Cookie").map((value) -> value.split(";", 2)[0]).orElseThrow();
		return new Session(page.body(), csrf.group(1), session);
	}

	private HttpRequest.Builder form(String path, Session session, Map<String, String> fields) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		all.put("_csrf", session.csrf);
		String form = all.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return HttpRequest.newBuilder(url(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", session.cookie)
			.POST(HttpRequest.BodyPublishers.ofString(form));
	}

	private HttpResponse<String> postForm(String path, Session session, Map<String, String> fields) {
		return send(form(path, session, fields));
	}

	private HttpResponse<byte[]> postFormBytes(String path, Session session, Map<String, String> fields) {
		return sendBytes(form(path, session, fields));
	}

	private record Session(String page, String csrf, String cookie) {
	}

}
