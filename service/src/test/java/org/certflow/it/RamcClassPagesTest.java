package org.certflow.it;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.web.util.HtmlUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's certificate class pages over plain HTTP, as a browser without script
 * would use them: who gets in, CSRF, every field's wrong input shown beside the field
 * with the API's own message, a duplicate name, a stale edit, forms sent twice,
 * retirement and its effect on the invitation form, markup shown as text.
 */
class RamcClassPagesTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern FORM_TOKEN = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"");

	private static final Pattern VERSION = Pattern.compile("name=\"version\" value=\"([^\"]*)\"");

	@Test
	void anonymousUsersAreSentToTheLoginPage() {
		for (String path : new String[] { "/ramc/classes", "/ramc/classes/new", "/ramc/classes/standard/edit",
				"/ramc/classes/standard/retire" }) {
			HttpResponse<String> response = get(path, null);
			assertThat(response.statusCode()).as(path).isEqualTo(302);
			assertThat(response.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/ramc/login"));
		}
	}

	@Test
	void officersAreRefusedAndChangeNothing() {
		Form officer = Form.login(this, OFFICER);
		for (String path : new String[] { "/ramc/classes", "/ramc/classes/new", "/ramc/classes/standard/edit",
				"/ramc/classes/standard/retire" }) {
			HttpResponse<String> response = officer.send(path);
			assertThat(response.statusCode()).as(path).isEqualTo(403);
			assertThat(response.body()).contains("User officer may not use the RA console");
		}
		String name = newName();
		assertThat(officer.post("/ramc/classes", valid(name, "made-up"), true).statusCode()).isEqualTo(403);
		assertThat(classCount(name)).isZero();
		long version = version("standard");
		assertThat(
				officer.post("/ramc/classes/standard", edit(valid("standard", "made-up"), version), true).statusCode())
			.isEqualTo(403);
		assertThat(officer.post("/ramc/classes/standard/retirement", List.of(Map.entry("formToken", "made-up")), true)
			.statusCode()).isEqualTo(403);
		assertThat(version("standard")).isEqualTo(version);
		assertThat(retired("standard")).isFalse();
	}

	@Test
	void formsWithoutCsrfTokenAreRefusedAndChangeNothing() {
		Form admin = Form.login(this, ADMIN);
		String name = newName();
		HttpResponse<String> create = admin.post("/ramc/classes", valid(name, admin.formToken("/ramc/classes/new")),
				false);
		assertThat(create.statusCode()).isEqualTo(403);
		assertThat(create.body()).contains("Reload the page");
		assertThat(classCount(name)).isZero();

		String existing = createClass(admin);
		long version = version(existing);
		String token = admin.formToken("/ramc/classes/" + existing + "/edit");
		List<Map.Entry<String, String>> change = edit(valid(existing, token), version);
		change.add(Map.entry("displayName", "Changed without CSRF"));
		assertThat(admin.post("/ramc/classes/" + existing, change, false).statusCode()).isEqualTo(403);
		String retireToken = admin.formToken("/ramc/classes/" + existing + "/retire");
		assertThat(admin
			.post("/ramc/classes/" + existing + "/retirement", List.of(Map.entry("formToken", retireToken)), false)
			.statusCode()).isEqualTo(403);
		assertThat(version(existing)).isEqualTo(version);
		assertThat(retired(existing)).isFalse();
	}

	@Test
	void theListShowsEveryClassWithItsMainSettingsAndMarksRetiredOnes() {
		Form admin = Form.login(this, ADMIN);
		String name = newName();
		List<Map.Entry<String, String>> fields = valid(name, admin.formToken("/ramc/classes/new"));
		set(fields, "allowedDomains", "example.com, example.net");
		set(fields, "issueImmediately", "false");
		set(fields, "validityDays", "123");
		set(fields, "escalationAfter", "PT8H");
		fields.add(Map.entry("phoneRequired", "true"));
		HttpResponse<String> created = admin.post("/ramc/classes", fields, true);
		// Post/redirect/get: the result is a page of its own, with the message once.
		assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
		assertThat(created.headers().firstValue("Location").orElse("")).endsWith("/ramc/classes");
		String list = admin.page("/ramc/classes");
		assertThat(list).contains("Class &#39;" + name + "&#39; created.");
		assertThat(admin.page("/ramc/classes")).doesNotContain("Class &#39;" + name + "&#39; created.");

		String row = row(list, name);
		assertThat(row).contains("Display " + name, "example.com, example.net", "phone required", "scheduled",
				"123 days", "PT8H", "open");
		assertThat(row(list, "high-assurance")).contains("scheduled");
		assertThat(row(list, "standard")).contains("immediate");
		assertThat(list).contains("id=\"class-auto-domain\"", "id=\"class-high-assurance\"");

		this.jdbc.update("update certificate_class set retired_at = current_timestamp where name = ?", name);
		assertThat(row(admin.page("/ramc/classes"), name)).contains("retired 20").doesNotContain("Retire…");
	}

	@Test
	void eachWrongFieldIsShownBesideItWithTheApisMessageAndTheValuesKept() {
		Form admin = Form.login(this, ADMIN);
		record Case(String field, String value, String message, Object apiValue) {
		}
		List<Case> cases = List.of(new Case("name", "Bad Name", "name must be 2 to 64 characters", "Bad Name"),
				new Case("validityDays", "826", "validityDays must be from 1 to 825, not 826.", 826),
				new Case("validityDays", "0", "validityDays must be from 1 to 825, not 0.", 0),
				new Case("validityDays", "a year", "validityDays must be a whole number of days", null),
				new Case("escalationAfter", "8 hours", "escalationAfter must be an ISO-8601 duration", "8 hours"),
				new Case("escalationAfter", "-PT1H", "escalationAfter must be a positive duration", "-PT1H"),
				new Case("defaultDistribution", "TOKEN", "defaultDistribution &#39;TOKEN&#39; must be one of", "TOKEN"),
				new Case("issuanceProfile", "no-such-profile", "is not a profile this CA knows", "no-such-profile"),
				new Case("allowedDomains", "not_a_domain", "allowedDomains: &#39;not_a_domain&#39; is not",
						List.of("not_a_domain")),
				new Case("billingCode", "no spaces!", "billingCode may hold letters", "no spaces!"),
				new Case("displayName", "", "displayName is required.", ""));
		for (Case wrong : cases) {
			String name = wrong.field().equals("name") ? wrong.value() : newName();
			List<Map.Entry<String, String>> fields = valid(name, admin.formToken("/ramc/classes/new"));
			set(fields, wrong.field(), wrong.value());
			HttpResponse<String> response = admin.post("/ramc/classes", fields, true);
			assertThat(response.statusCode()).as(wrong.toString()).isEqualTo(400);
			String error = fieldError(response.body(), wrong.field());
			assertThat(error).as(wrong.toString()).contains(wrong.message());
			assertThat(response.body()).as(wrong.toString()).contains("aria-invalid=\"true\"");
			if (!wrong.value().isEmpty()) {
				String shown = HtmlUtils.htmlEscape(wrong.value());
				String kept = switch (wrong.field()) {
					case "allowedDomains" -> ">" + shown + "</textarea>";
					case "defaultDistribution", "issuanceProfile" -> "value=\"" + shown + "\" selected=\"selected\"";
					default -> "value=\"" + shown + "\"";
				};
				assertThat(response.body()).as("value kept: " + wrong).contains(kept);
			}
			if (wrong.apiValue() != null) {
				// The same message as the API's: one set of rules.
				Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "displayName", "Display",
						"issuanceProfile", "standard", "distributionMethods", List.of("WEB_PICKUP", "P12_MAIL")));
				body.put(wrong.field(), wrong.apiValue());
				HttpResponse<String> api = postJson("/api/v1/classes", body, ADMIN);
				assertThat(api.statusCode()).as(wrong.toString()).isEqualTo(400);
				assertThat(error).isEqualTo(HtmlUtils.htmlEscape(body(api).get("detail").asText()));
			}
			if (!wrong.field().equals("name")) {
				assertThat(classCount(name)).isZero();
			}
		}
		// A box list left empty is not the API's default: at least one must be ticked.
		String name = newName();
		List<Map.Entry<String, String>> fields = valid(name, admin.formToken("/ramc/classes/new"));
		fields.removeIf((field) -> field.getKey().equals("keySources"));
		HttpResponse<String> none = admin.post("/ramc/classes", fields, true);
		assertThat(none.statusCode()).isEqualTo(400);
		assertThat(fieldError(none.body(), "keySources")).contains("keySources must name at least one of");
		assertThat(classCount(name)).isZero();
	}

	@Test
	void aNameInUseIsAClearError() {
		Form admin = Form.login(this, ADMIN);
		HttpResponse<String> response = admin.post("/ramc/classes",
				valid("standard", admin.formToken("/ramc/classes/new")), true);
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(fieldError(response.body(), "name"))
			.contains("A certificate class named &#39;standard&#39; exists already");
		assertThat(this.jdbc.queryForObject("select display_name from certificate_class where name = 'standard'",
				String.class))
			.isNotEqualTo("Display standard");
	}

	@Test
	void anEditShowsTheCurrentValuesAndSavesOnce() {
		Form admin = Form.login(this, ADMIN);
		String name = createClass(admin);
		String page = admin.page("/ramc/classes/" + name + "/edit");
		assertThat(page).contains("value=\"Display " + name + "\"",
				"value=\"EC-P256\" id=\"keyAlgorithms-EC-P256\" checked=\"checked\"",
				"name=\"version\" value=\"" + version(name) + "\"");
		assertThat(page).doesNotContain("id=\"name\"");
		List<Map.Entry<String, String>> change = edit(valid(name, token(page)), find(VERSION, page));
		set(change, "displayName", "Renamed " + name);
		set(change, "validityDays", "200");

		HttpResponse<String> saved = admin.post("/ramc/classes/" + name, change, true);
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
		assertThat(admin.page("/ramc/classes")).contains("Class &#39;" + name + "&#39; saved (version 1)");
		assertThat(this.jdbc.queryForObject("select validity_days from certificate_class where name = ?", Integer.class,
				name))
			.isEqualTo(200);

		// Back and send again: the same form changes nothing twice.
		HttpResponse<String> again = admin.post("/ramc/classes/" + name, change, true);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("This form was sent before", "saved then as version 1");
		assertThat(version(name)).isEqualTo(1);

		HttpResponse<String> unknown = admin.send("/ramc/classes/no-such-class/edit");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("There is no certificate class named &#39;no-such-class&#39;");
	}

	@Test
	void aStaleEditShowsWhatChangedAndOverwritesNothing() {
		Form admin = Form.login(this, ADMIN);
		String name = createClass(admin);
		String mine = admin.page("/ramc/classes/" + name + "/edit");
		// Someone else saves first, from another form.
		String theirs = admin.page("/ramc/classes/" + name + "/edit");
		List<Map.Entry<String, String>> other = edit(valid(name, token(theirs)), find(VERSION, theirs));
		set(other, "displayName", "Their name");
		assertThat(admin.post("/ramc/classes/" + name, other, true).statusCode()).isEqualTo(302);

		List<Map.Entry<String, String>> change = edit(valid(name, token(mine)), find(VERSION, mine));
		set(change, "displayName", "My name");
		HttpResponse<String> stale = admin.post("/ramc/classes/" + name, change, true);
		assertThat(stale.statusCode()).isEqualTo(409);
		assertThat(stale.body())
			.contains("was changed since version 0 (it is now version 1)", "Your changes were not saved",
					"value=\"Their name\"", "name=\"version\" value=\"1\"")
			.doesNotContain("My name");
		assertThat(this.jdbc.queryForObject("select display_name from certificate_class where name = ?", String.class,
				name))
			.isEqualTo("Their name");

		// The shown form is current: sent again, it saves.
		List<Map.Entry<String, String>> retry = edit(valid(name, token(stale.body())), find(VERSION, stale.body()));
		set(retry, "displayName", "My name");
		assertThat(admin.post("/ramc/classes/" + name, retry, true).statusCode()).isEqualTo(302);
		assertThat(version(name)).isEqualTo(2);
	}

	@Test
	void twoEditsOfTheSameVersionAtOnceSaveOneAndShowTheOtherTheCurrentClass() throws Exception {
		Form admin = Form.login(this, ADMIN);
		Form other = Form.login(this, ADMIN);
		String name = createClass(admin);
		List<List<Map.Entry<String, String>>> edits = new ArrayList<>();
		List<String> csrfs = new ArrayList<>();
		for (Form form : List.of(admin, other)) {
			String page = form.page("/ramc/classes/" + name + "/edit");
			List<Map.Entry<String, String>> change = edit(valid(name, token(page)), find(VERSION, page));
			set(change, "displayName", "Edit " + edits.size());
			edits.add(change);
			csrfs.add(form.csrf());
		}
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> sent = new ArrayList<>();
		try {
			List<Form> forms = List.of(admin, other);
			for (int i = 0; i < 2; i++) {
				int which = i;
				Callable<HttpResponse<String>> send = () -> {
					start.await();
					return forms.get(which).postWith("/ramc/classes/" + name, edits.get(which), csrfs.get(which));
				};
				sent.add(pool.submit(send));
			}
			start.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<HttpResponse<String>> response : sent) {
				HttpResponse<String> done = response.get();
				statuses.add(done.statusCode());
				if (done.statusCode() == 409) {
					assertThat(done.body()).contains("Your changes were not saved", "name=\"version\" value=\"1\"");
				}
			}
			assertThat(statuses).containsExactlyInAnyOrder(302, 409);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(version(name)).isEqualTo(1);
	}

	@Test
	void aClassFormSentTwiceAtOnceCreatesOneClass() throws Exception {
		Form admin = Form.login(this, ADMIN);
		String name = newName();
		List<Map.Entry<String, String>> fields = valid(name, admin.formToken("/ramc/classes/new"));
		String csrf = admin.csrf();
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> sent = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				Callable<HttpResponse<String>> send = () -> {
					start.await();
					return admin.postWith("/ramc/classes", fields, csrf);
				};
				sent.add(pool.submit(send));
			}
			start.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<HttpResponse<String>> response : sent) {
				statuses.add(response.get().statusCode());
			}
			assertThat(statuses).containsExactlyInAnyOrder(302, 409);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(classCount(name)).isEqualTo(1);
		HttpResponse<String> again = admin.post("/ramc/classes", fields, true);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("This form was sent before: class &#39;" + name + "&#39; was created then");
		assertThat(classCount(name)).isEqualTo(1);

		HttpResponse<String> madeUp = admin.post("/ramc/classes", valid(newName(), "made-up"), true);
		assertThat(madeUp.statusCode()).isEqualTo(409);
		assertThat(madeUp.body()).contains("This form has expired");
	}

	@Test
	void aRetiredClassCannotBeRetiredAgainAndIsNoLongerOffered() {
		Form admin = Form.login(this, ADMIN);
		String name = createClass(admin);
		assertThat(admin.page("/ramc/invitations")).contains("value=\"" + name + "\"");
		String first = admin.formToken("/ramc/classes/" + name + "/retire");
		String second = admin.formToken("/ramc/classes/" + name + "/retire");

		HttpResponse<String> retired = admin.post("/ramc/classes/" + name + "/retirement",
				List.of(Map.entry("formToken", first)), true);
		assertThat(retired.statusCode()).isEqualTo(302);
		assertThat(admin.page("/ramc/classes")).contains("Class &#39;" + name + "&#39; retired");
		assertThat(retired(name)).isTrue();

		HttpResponse<String> twice = admin.post("/ramc/classes/" + name + "/retirement",
				List.of(Map.entry("formToken", first)), true);
		assertThat(twice.statusCode()).isEqualTo(409);
		assertThat(twice.body()).contains("This form was sent before");

		HttpResponse<String> again = admin.post("/ramc/classes/" + name + "/retirement",
				List.of(Map.entry("formToken", second)), true);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("Class &#39;" + name + "&#39; was already retired at")
			.doesNotContain("Retire this class");
		HttpResponse<String> confirm = admin.send("/ramc/classes/" + name + "/retire");
		assertThat(confirm.statusCode()).isEqualTo(409);
		assertThat(confirm.body()).contains("was already retired at").doesNotContain("Retire this class");

		assertThat(admin.page("/ramc/invitations")).doesNotContain("value=\"" + name + "\"");
	}

	@Test
	void markupInInputIsShownAsText() {
		Form admin = Form.login(this, ADMIN);
		String name = newName();
		List<Map.Entry<String, String>> fields = valid(name, admin.formToken("/ramc/classes/new"));
		set(fields, "displayName", "<script>alert(1)</script>");
		set(fields, "description", "</textarea><b>bold</b>");
		assertThat(admin.post("/ramc/classes", fields, true).statusCode()).isEqualTo(302);
		assertThat(admin.page("/ramc/classes")).doesNotContain("<script>alert(1)</script>")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
		assertThat(admin.page("/ramc/classes/" + name + "/edit")).doesNotContain("<b>bold</b>")
			.contains("&lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;");

		List<Map.Entry<String, String>> wrong = valid("<img src=x>", admin.formToken("/ramc/classes/new"));
		HttpResponse<String> response = admin.post("/ramc/classes", wrong, true);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).doesNotContain("<img src=x>").contains("&lt;img src=x&gt;");
	}

	// --- helpers

	private String createClass(Form admin) {
		String name = newName();
		HttpResponse<String> created = admin.post("/ramc/classes", valid(name, admin.formToken("/ramc/classes/new")),
				true);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
		// Follows the redirect as a browser would, which shows (and uses up) the message.
		assertThat(admin.page("/ramc/classes")).contains("Class &#39;" + name + "&#39; created.");
		return name;
	}

	/** A valid form for a new class, as the form page sends it. */
	private static List<Map.Entry<String, String>> valid(String name, String formToken) {
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		fields.add(Map.entry("formToken", formToken));
		fields.add(Map.entry("name", name));
		fields.add(Map.entry("displayName", "Display " + name));
		fields.add(Map.entry("description", "For the console's tests"));
		fields.add(Map.entry("issuanceProfile", "standard"));
		fields.add(Map.entry("issueImmediately", "true"));
		fields.add(Map.entry("allowedDomains", ""));
		fields.add(Map.entry("keySources", "BROWSER"));
		fields.add(Map.entry("keySources", "CSR"));
		fields.add(Map.entry("keyAlgorithms", "EC-P256"));
		fields.add(Map.entry("keyAlgorithms", "RSA-2048"));
		fields.add(Map.entry("validityDays", "365"));
		fields.add(Map.entry("distributionMethods", "WEB_PICKUP"));
		fields.add(Map.entry("distributionMethods", "P12_MAIL"));
		fields.add(Map.entry("defaultDistribution", "WEB_PICKUP"));
		fields.add(Map.entry("billingCode", ""));
		fields.add(Map.entry("escalationAfter", ""));
		return fields;
	}

	/** An edit form: no name field (it cannot change), the version it was read at. */
	private static List<Map.Entry<String, String>> edit(List<Map.Entry<String, String>> fields, Object version) {
		List<Map.Entry<String, String>> edit = new ArrayList<>(fields);
		edit.removeIf((field) -> field.getKey().equals("name"));
		edit.add(Map.entry("version", String.valueOf(version)));
		return edit;
	}

	private static void set(List<Map.Entry<String, String>> fields, String name, String value) {
		fields.removeIf((field) -> field.getKey().equals(name));
		fields.add(Map.entry(name, value));
	}

	private static String newName() {
		return "ramc-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static String token(String page) {
		return find(FORM_TOKEN, page);
	}

	private static String fieldError(String page, String field) {
		Matcher matcher = Pattern.compile("id=\"" + field + "-error\">([^<]*)<").matcher(page);
		assertThat(matcher.find()).as("an error beside " + field + " in " + page).isTrue();
		return matcher.group(1);
	}

	private static String row(String list, String name) {
		int start = list.indexOf("id=\"class-" + name + "\"");
		assertThat(start).as("row of " + name).isNotNegative();
		return list.substring(start, list.indexOf("</tr>", start));
	}

	private long classCount(String name) {
		return this.jdbc.queryForObject("select count(*) from certificate_class where name = ?", Long.class, name);
	}

	private long version(String name) {
		return this.jdbc.queryForObject("select version from certificate_class where name = ?", Long.class, name);
	}

	private boolean retired(String name) {
		return this.jdbc.queryForObject(
				"select count(*) from certificate_class where name = ? and retired_at is not " + "null", Long.class,
				name) == 1;
	}

	/**
	 * A browser without script that sends repeated fields (ticked boxes): a cookie jar
	 * (cookies are Secure) and the page's tokens.
	 */
	static final class Form {

		private final IntegrationTest test;

		private final Map<String, String> cookies = new LinkedHashMap<>();

		private Form(IntegrationTest test) {
			this.test = test;
		}

		static Form login(IntegrationTest test, String user) {
			Form form = new Form(test);
			HttpResponse<String> response = form.post("/ramc/login",
					List.of(Map.entry("username", user), Map.entry("password", user)), true);
			assertThat(response.statusCode()).isEqualTo(302);
			assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error", "wait");
			return form;
		}

		String page(String path) {
			HttpResponse<String> response = send(path);
			assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
			return response.body();
		}

		String formToken(String path) {
			return token(page(path));
		}

		String csrf() {
			// One token per session: the login page, open to all, shows it.
			return find(CSRF, send("/ramc/login").body());
		}

		HttpResponse<String> send(String path) {
			return keep(this.test.send(request(path).GET()));
		}

		HttpResponse<String> post(String path, List<Map.Entry<String, String>> fields, boolean withCsrf) {
			return postWith(path, fields, withCsrf ? csrf() : null);
		}

		HttpResponse<String> postWith(String path, List<Map.Entry<String, String>> fields, String csrf) {
			List<Map.Entry<String, String>> all = new ArrayList<>(fields);
			if (csrf != null) {
				all.add(Map.entry("_csrf", csrf));
			}
			String form = all.stream()
				.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return keep(this.test.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))));
		}

		private HttpRequest.Builder request(String path) {
			StringBuilder header = new StringBuilder();
			synchronized (this.cookies) {
				this.cookies.forEach((name,
						value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(this.test.url(path));
			if (!header.isEmpty()) {
				request.header("Cookie", header.toString());
			}
			return request;
		}

		private HttpResponse<String> keep(HttpResponse<String> response) {
			synchronized (this.cookies) {
				for (String setCookie : response.headers().allValues("Set-Cookie")) {
					String pair = setCookie.split(";", 2)[0];
					int equals = pair.indexOf('=');
					this.cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
			}
			return response;
		}

	}

}
