package org.certflow.it;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console's requests pages in Debian's headless Chromium (same rules as
 * {@link RamcBrowserTest}: skipped where Chromium is missing unless tools are required):
 * find a request by mailbox, read its timeline, issue a new activation code after wrong
 * PINs locked the activation and collect with it, cancel a request, revoke a collected
 * certificate; every page at phone width without sideways scrolling. Screenshots go to
 * {@code target/screenshots/requests-*.png}.
 */
class RamcRequestsBrowserTest extends BrowserTest {

	private static final Pattern CODE = Pattern.compile("[?&]code=([A-Za-z0-9_-]+)");

	private static final Pattern PIN = Pattern.compile("PIN: (\\d+)");

	@Test
	void anAdminFindsARequestReadsItsTimelineAndCancelsIt() {
		String email = newMailbox();
		String requestId = invite(email);
		awaitMail(email, "invitation");
		open("/ramc/login");
		logIn(ADMIN);
		clickToNewPage(By.linkText("Requests"));
		assertThat(text("h1")).isEqualTo("Requests");
		shoot("requests-search");

		browser.findElement(By.id("email")).sendKeys(email);
		browser.findElement(By.cssSelector("#search button[type=submit]")).click();
		assertThat(text("#result-count")).contains("1", "of 1");
		assertThat(text("#results tbody")).contains(email, "INVITED", "standard", "Ada Applicant");
		shoot("requests-results");

		browser.findElement(By.cssSelector("#results tbody a")).click();
		assertThat(text("#request-id")).isEqualTo(requestId);
		assertThat(text("#timeline")).contains("INVITED", "by admin", "INVITATION");
		assertThat(browser.findElement(By.id("cockpit-link")).getAttribute("href"))
			.contains("/camunda/app/cockpit/default/#/process-instance/");
		shoot("requests-detail-invited");

		browser.findElement(By.cssSelector("#resend-invitation button")).click();
		assertThat(text("#action-success")).contains("The invitation was sent again to " + email);
		assertThat(text("#timeline")).contains("INVITATION_RESENT");

		// The reason is required: the browser does not send the form without it.
		browser.findElement(By.cssSelector("#cancel-request button")).click();
		assertThat(browser.findElements(By.id("action-success"))).isNotEmpty();
		browser.findElement(By.id("cancel-reason")).sendKeys("The applicant left the company");
		browser.findElement(By.cssSelector("#cancel-request button")).click();
		assertThat(text("#action-success")).isEqualTo("The request was cancelled.");
		assertThat(text("#request-status")).isEqualTo("CANCELLED");
		assertThat(text("#timeline")).contains("CANCELLED", "The applicant left the company");
		assertThat(browser.findElements(By.id("cancel-request"))).isEmpty();
		shoot("requests-detail-cancelled");

		open("/ramc/requests?status=NOPE");
		assertThat(text("#search-error")).contains("Unknown status 'NOPE'");
		shoot("requests-search-error");
		open("/ramc/requests/no-such-request");
		assertThat(text("h1")).isEqualTo("Request not found");
		shoot("requests-not-found");
	}

	@Test
	void aNewActivationCodeAfterALockArrivesAndWorksAndTheCollectedCertificateIsRevoked() {
		String email = newMailbox();
		String requestId = submittedRequest(email);
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		String firstMail = awaitMail(email, "ready");
		String oldCode = find(CODE, firstMail);
		for (int i = 0; i < 5; i++) {
			activate(oldCode, "00000000");
		}
		assertThat(activate(oldCode, find(PIN, firstMail)).statusCode()).as("locked").isEqualTo(423);

		open("/ramc/login");
		logIn(ADMIN);
		open("/ramc/requests/" + requestId);
		assertThat(text("#request-status")).isEqualTo("ISSUED");
		assertThat(text("#certificate")).contains("Serial", "Valid");
		shoot("requests-detail-issued");
		browser.findElement(By.cssSelector("#reissue-activation button")).click();
		assertThat(text("#action-success")).contains("A new activation code and PIN were mailed");
		assertThat(text("#timeline")).contains("ACTIVATION_REISSUED", "after a lock");
		shoot("requests-detail-reissued");

		String newMail = awaitNewActivationMail(email, oldCode);
		HttpResponse<String> collected = activate(lastMatch(CODE, newMail), lastMatch(PIN, newMail));
		assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
		awaitStatus(requestId, "COLLECTED");

		open("/ramc/requests/" + requestId);
		assertThat(browser.findElements(By.id("cancel-request"))).isEmpty();
		new Select(browser.findElement(By.id("revocation-reason"))).selectByValue("keyCompromise");
		shoot("requests-detail-collected");
		browser.findElement(By.cssSelector("#revoke-certificate button")).click();
		assertThat(text("#action-success")).contains("was revoked (keyCompromise)");
		assertThat(text("#revocation-status")).isEqualTo("REVOKED");
		assertThat(browser.findElements(By.id("revoke-certificate"))).isEmpty();
		shoot("requests-detail-revoked");
	}

	@Test
	void theRequestsPagesFitAPhone() {
		String email = newMailbox();
		String requestId = invite(email);
		awaitMail(email, "invitation");
		open("/ramc/login");
		logIn(ADMIN);
		browser.manage().window().setSize(new Dimension(375, 812));
		Map<String, String> pages = Map.of("requests-search-phone", "/ramc/requests", "requests-results-phone",
				"/ramc/requests?email=example.org", "requests-error-phone", "/ramc/requests?from=yesterday",
				"requests-detail-phone", "/ramc/requests/" + requestId, "requests-not-found-phone",
				"/ramc/requests/unknown");
		pages.forEach((name, path) -> {
			open(path);
			text("h1");
			assertThat(pageScrollsSideways()).as(path + " at 375 px").isFalse();
			shoot(name);
		});
	}

	private HttpResponse<String> activate(String code, String pin) {
		return postJson("/api/v1/activations", Map.of("activationCode", code, "pin", pin), null);
	}

	/** The newest "ready" mail once it carries a code other than the old one. */
	private String awaitNewActivationMail(String email, String oldCode) {
		long until = System.currentTimeMillis() + 40_000;
		while (System.currentTimeMillis() < until) {
			String mail = readMail(email, "ready");
			if (mail != null && !oldCode.equals(lastMatch(CODE, mail))) {
				return mail;
			}
			pause();
		}
		throw new AssertionError("No new activation mail for " + email);
	}

	private static String lastMatch(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		String last = null;
		while (matcher.find()) {
			last = matcher.group(1);
		}
		assertThat(last).as("no " + pattern + " in the mail").isNotNull();
		return last;
	}

}
