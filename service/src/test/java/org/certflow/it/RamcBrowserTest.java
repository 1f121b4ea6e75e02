package org.certflow.it;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console in Debian's headless Chromium, driven by Debian's chromedriver (never a
 * downloaded browser): log in, dashboard, invite and see the mail arrive, wrong input,
 * officers refused, logout; every page at desktop and at phone width (375 px), where it
 * must not scroll sideways. Screenshots of each go to {@code target/screenshots/}. Where
 * Chromium is missing the test skips, unless CI or CERTFLOW_REQUIRE_TOOLS asks for every
 * tool ({@link Tools}).
 */
class RamcBrowserTest extends BrowserTest {

	@Test
	void anAdminLogsInSeesTheDashboardInvitesAndLogsOut() {
		open("/ramc");
		assertThat(browser.getCurrentUrl()).as("anonymous users land on the login page").endsWith("/ramc/login");
		shoot("login");
		logIn(ADMIN);
		// Back where the user was going (Spring Security marks it "?continue").
		assertThat(browser.getCurrentUrl()).matches(".*/ramc(\\?continue)?$");
		assertThat(text("h1")).isEqualTo("Dashboard");
		assertThat(browser.findElements(By.cssSelector(".counts li")))
			.hasSize(org.certflow.request.RequestStatus.values().length);
		assertThat(browser.findElement(By.cssSelector(".chart svg")).getAttribute("role")).isEqualTo("img");
		shoot("dashboard");

		clickToNewPage(By.linkText("Invitations"));
		assertThat(text("h1")).isEqualTo("Invite an applicant");
		shoot("invitations");

		// Wrong input: each problem beside its field, the values kept.
		browser.findElement(By.id("email")).sendKeys("not-a-mailbox");
		browser.findElement(By.id("fullName")).sendKeys("Ada Applicant");
		browser.findElement(By.cssSelector("#invite button[type=submit]")).click();
		assertThat(text("#email-error")).startsWith("Email address cannot go into a certificate");
		assertThat(text("#certificateClass-error")).isEqualTo("certificateClass is required.");
		assertThat(browser.findElements(By.id("fullName-error"))).isEmpty();
		assertThat(browser.findElement(By.id("email")).getAttribute("value")).isEqualTo("not-a-mailbox");
		assertThat(browser.findElement(By.id("fullName")).getAttribute("value")).isEqualTo("Ada Applicant");
		assertThat(browser.findElement(By.id("email")).getAttribute("aria-invalid")).isEqualTo("true");
		shoot("invitations-errors");

		String email = newMailbox();
		WebElement field = browser.findElement(By.id("email"));
		field.clear();
		field.sendKeys(email);
		new Select(browser.findElement(By.id("certificateClass"))).selectByValue("standard");
		browser.findElement(By.cssSelector("#invite button[type=submit]")).click();
		String requestId = text("#sent-request-id");
		assertThat(text(".success")).contains("Invitation sent to " + email, requestId);
		shoot("invitations-sent");
		assertThat(awaitMail(email, "invitation")).contains("/apply?token=");

		// Back to the filled form and send it again: still one invitation.
		browser.navigate().back();
		if (browser.findElements(By.id("email")).isEmpty()
				|| browser.findElement(By.id("email")).getAttribute("value").isEmpty()) {
			// Chromium reloaded the page instead of showing the sent form: nothing to
			// resend.
			assertThat(requestsFor(email)).isEqualTo(1);
		}
		else {
			browser.findElement(By.cssSelector("#invite button[type=submit]")).click();
			assertThat(text(".notice")).contains("This form was sent before", requestId);
		}
		assertThat(requestsFor(email)).isEqualTo(1);

		open("/ramc/invitations");
		browser.findElement(By.cssSelector(".logout button")).click();
		awaitUrlEnding("/ramc/login?logout");
		assertThat(text(".notice")).isEqualTo("You are logged out.");
		open("/ramc");
		assertThat(browser.getCurrentUrl()).endsWith("/ramc/login");
	}

	@Test
	void anOfficerIsRefusedWithAClearPage() {
		open("/ramc/login");
		logIn(OFFICER);
		assertThat(text("h1")).isEqualTo("Access denied");
		assertThat(text(".error")).contains("User officer may not use the RA console", "ra-admins");
		shoot("denied");
	}

	@Test
	void aWrongPasswordIsSaidSo() {
		open("/ramc/login");
		browser.findElement(By.id("username")).sendKeys(ADMIN);
		browser.findElement(By.id("password")).sendKeys("not-the-password", Keys.ENTER);
		assertThat(text(".error")).isEqualTo("Wrong user name or password.");
		shoot("login-error");
	}

	@Test
	void anAdminEntersARequestOnAnApplicantsBehalf() {
		open("/ramc/login");
		logIn(ADMIN);
		browser.manage().window().setSize(new Dimension(1280, 900));
		open("/ramc/on-behalf");
		String email = newMailbox();
		browser.findElement(By.id("email")).sendKeys(email);
		browser.findElement(By.id("fullName")).sendKeys("Carol Example");
		new Select(browser.findElement(By.id("certificateClass"))).selectByValue("standard");
		browser.findElement(By.id("csrPem")).sendKeys("-----BEGIN CERTIFICATE REQUEST-----\nbroken\n");
		browser.findElement(By.cssSelector("#on-behalf button[type=submit]")).click();
		assertThat(text("#form-error")).contains("The request was not entered");
		assertThat(browser.findElement(By.id("csrPem")).getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(browser.findElement(By.id("email")).getAttribute("value")).isEqualTo(email);
		shoot("on-behalf-error");

		WebElement csr = browser.findElement(By.id("csrPem"));
		csr.clear();
		csr.sendKeys(csrPem(newEcKey("secp256r1"), "CN=Carol"));
		browser.findElement(By.cssSelector("#on-behalf button[type=submit]")).click();
		String requestId = text("#sent-request-id");
		shoot("on-behalf-sent");
		assertThat(awaitStatus(requestId, "PENDING_VALIDATION").get("createdBy").asText()).isEqualTo(ADMIN);
	}

	@Test
	void thePagesWorkByKeyboardAndAtPhoneWidth() {
		open("/ramc/login");
		logIn(ADMIN);
		for (String page : new String[] { "/ramc", "/ramc/invitations", "/ramc/on-behalf" }) {
			browser.manage().window().setSize(new Dimension(1280, 900));
			open(page);
			// The first Tab reaches the skip link, which leads to the content.
			browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
			WebElement focused = browser.switchTo().activeElement();
			assertThat(focused.getText()).isEqualTo("Skip to content");
			assertThat(focused.getAttribute("href")).endsWith("#main");

			browser.manage().window().setSize(new Dimension(375, 812));
			open(page);
			assertThat(pageScrollsSideways()).as(page + " at 375 px").isFalse();
			shoot(page.substring(1).replace('/', '-') + "-phone");
		}
		browser.manage().window().setSize(new Dimension(375, 812));
		open("/ramc/invitations");
		browser.findElement(By.cssSelector("#invite button[type=submit]")).click();
		assertThat(pageScrollsSideways()).isFalse();
		shoot("ramc-invitations-errors-phone");
		browser.findElement(By.cssSelector(".logout button")).click();
		awaitUrlEnding("/ramc/login?logout");
		assertThat(pageScrollsSideways()).isFalse();
		shoot("login-phone");
		logIn(OFFICER);
		assertThat(pageScrollsSideways()).isFalse();
		shoot("denied-phone");
	}

	private long requestsFor(String email) {
		return this.jdbc.queryForObject("select count(*) from certificate_request where email = ?", Long.class, email);
	}

}
