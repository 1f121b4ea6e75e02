package org.certflow.it;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Camunda webapp session as the browser holds it: cookies (Secure, so carried by hand
 * over http) and the XSRF token, which rotates with the session.
 */
final class WebappSession {

	private final IntegrationTest test;

	private final Map<String, String> cookies = new LinkedHashMap<>();

	private WebappSession(IntegrationTest test) {
		this.test = test;
	}

	/** Logs in to Tasklist as the user, whose password is its name. */
	static WebappSession login(IntegrationTest test, String user) {
		WebappSession session = new WebappSession(test);
		session.keep(test.send(HttpRequest.newBuilder(test.url("/camunda/app/tasklist/default/"))));
		String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(user, StandardCharsets.UTF_8);
		HttpResponse<String> response = session
			.exchange(session.request("/camunda/api/admin/auth/user/default/login/tasklist")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		// A new token comes with the new session: fetch it before the first POST.
		session.exchange(session.request("/camunda/api/admin/auth/user/default").GET());
		return session;
	}

	/**
	 * The session's cookies as a browser would send them, for pages outside the webapps.
	 */
	String cookieHeader() {
		StringBuilder header = new StringBuilder();
		this.cookies.forEach(
				(name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
		return header.toString();
	}

	HttpResponse<String> get(String path) {
		return exchange(request(path).GET());
	}

	HttpResponse<String> postJson(String path, String json) {
		return exchange(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private HttpRequest.Builder request(String path) {
		StringBuilder header = new StringBuilder();
		this.cookies.forEach(
				(name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
		HttpRequest.Builder request = HttpRequest.newBuilder(this.test.url(path))
			.header("Accept", "application/json")
			.header("Cookie", header.toString());
		if (this.cookies.containsKey("XSRF-TOKEN")) {
			request.header("X-XSRF-TOKEN", this.cookies.get("XSRF-TOKEN"));
		}
		return request;
	}

	private HttpResponse<String> exchange(HttpRequest.Builder request) {
		return keep(this.test.send(request));
	}

	private HttpResponse<String> keep(HttpResponse<String> response) {
		List<String> setCookies = response.headers().allValues("Set-Cookie");
		for (String setCookie : setCookies) {
			String pair = setCookie.split(";", 2)[0];
			int equals = pair.indexOf('=');
			this.cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
		}
		return response;
	}

}
