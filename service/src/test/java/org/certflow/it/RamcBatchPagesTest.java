package org.certflow.it;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console's batch pages without a browser: the upload form needs its CSRF token
 * and an RA admin; a good file leads to its batch's page, a bad one is told on the form
 * with nothing stored.
 */
class RamcBatchPagesTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@Test
	void anUploadWithoutItsCsrfTokenIsRefusedAndStoresNothing() {
		Session admin = login(ADMIN);
		byte[] file = ("email,fullName,certificateClass\r\n" + newMailbox() + ",Ada,standard\r\n")
			.getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> refused = admin.upload(file, null);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(stored(file)).isZero();

		HttpResponse<String> taken = admin.upload(file, admin.csrf());
		assertThat(taken.statusCode()).as(taken.body()).isEqualTo(302);
		String location = taken.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches(".*/ramc/batches/[0-9a-f-]{36}$");
		assertThat(stored(file)).isEqualTo(1);
		HttpResponse<String> page = admin.get(location.substring(location.indexOf("/ramc/")));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("batch-progress");
	}

	@Test
	void aBadFileIsToldOnTheFormAndOfficersGetNoFormAtAll() {
		Session admin = login(ADMIN);
		HttpResponse<String> binary = admin.upload(new byte[] { 'P', 'K', 3, 4, 0, 0 }, admin.csrf());
		assertThat(binary.statusCode()).isEqualTo(400);
		assertThat(binary.body()).contains("The file was not taken: The file is a ZIP archive");
		assertThat(admin.get("/ramc/batches/" + UUID.randomUUID()).statusCode()).isEqualTo(404);

		Session officer = login(OFFICER);
		assertThat(officer.get("/ramc/batches").statusCode()).isEqualTo(403);
	}

	private int stored(byte[] file) {
		try {
			String sha256 = java.util.HexFormat.of()
				.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(file));
			return this.jdbc.queryForObject("select count(*) from batch_upload where content_sha256 = ?", Integer.class,
					sha256);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Session login(String user) {
		Session session = new Session();
		String csrf = session.csrf();
		HttpResponse<String> login = session.keep(send(session.request("/ramc/login")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + user + "&_csrf="
					+ URLEncoder.encode(csrf, StandardCharsets.UTF_8)))));
		assertThat(login.statusCode()).isEqualTo(302);
		return session;
	}

	/** A cookie jar and what the console's forms send. */
	private final class Session {

		private final Map<String, String> cookies = new LinkedHashMap<>();

		String csrf() {
			Matcher matcher = CSRF.matcher(get("/ramc/login").body());
			assertThat(matcher.find()).isTrue();
			return matcher.group(1);
		}

		HttpResponse<String> get(String path) {
			return keep(send(request(path).GET()));
		}

		HttpResponse<String> upload(byte[] file, String csrf) {
			String boundary = "----certflow" + UUID.randomUUID();
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if (csrf != null) {
				body.writeBytes(
						("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n")
							.getBytes(StandardCharsets.UTF_8));
			}
			body.writeBytes(
					("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"batch.csv\"\r\n"
							+ "Content-Type: text/csv\r\n\r\n")
						.getBytes(StandardCharsets.UTF_8));
			body.writeBytes(file);
			body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
			return keep(
					send(request("/ramc/batches").header("Content-Type", "multipart/form-data; boundary=" + boundary)
						.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))));
		}

		HttpRequest.Builder request(String path) {
			HttpRequest.Builder request = HttpRequest.newBuilder(url(path));
			if (!this.cookies.isEmpty()) {
				StringBuilder header = new StringBuilder();
				this.cookies.forEach((name,
						value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
				request.header("Cookie", header.toString());
			}
			return request;
		}

		HttpResponse<String> keep(HttpResponse<String> response) {
			for (String setCookie : response.headers().allValues("Set-Cookie")) {
				String pair = setCookie.split(";", 2)[0];
				int equals = pair.indexOf('=');
				this.cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			return response;
		}

	}

}
