package org.certflow.it;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console's requests pages in Debian's headless Chromium (same rules as
 * {@link RamcBrowserTest}: skipped where Chromium is missing unless tools are required):
 * find a request by mailbox, read its timeline, issue a new activation code after wrong
 * PINs locked the activation and collect with it, cancel a request, revoke a collected
 * certificate; every page at phone width without sideways scrolling. Screenshots go to
 * {@code target/screenshots/requests-*.png}.
 */
class RamcRequestsBrowserTest extends IntegrationTest {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Pattern CODE = Pattern.compile("[?&]code=([A-Za-z0-9_-]+)");

	private static final Pattern PIN = Pattern.compile("PIN: (\\d+)");

	private static WebDriver browser;

	@BeforeEach
	void openBrowser() {
		if (browser == null) {
			requireExecutable(CHROMIUM);
			requireExecutable(CHROMEDRIVER);
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
					"--window-size=1280,900");
			ChromeDriverService service = new ChromeDriverService.Builder()
				.usingDriverExecutable(new File(CHROMEDRIVER))
				.usingAnyFreePort()
				.build();
			browser = new ChromeDriver(service, options);
			browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		}
		browser.manage().deleteAllCookies();
		browser.manage().window().setSize(new Dimension(1280, 900));
	}

	@AfterEach
	void forgetSession() {
		if (browser != null) {
			browser.manage().deleteAllCookies();
		}
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.quit();
			browser = null;
		}
	}

	@Test
	void anAdminFindsARequestReadsItsTimelineAndCancelsIt() {
		String email = newMailbox();
		String requestId = invite(email);
		awaitMail(email, "invitation");
		open("/ramc/login");
		logIn(ADMIN);
		browser.findElement(By.linkText("Requests")).click();
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

	private void logIn(String user) {
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(user);
		browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		new WebDriverWait(browser, Duration.ofSeconds(30))
			.until(ExpectedConditions.not(ExpectedConditions.urlContains("/ramc/login")));
	}

	private void open(String path) {
		// localhost: Chromium keeps the Secure session cookie over http only there.
		browser.get("http://localhost:" + this.port + path);
	}

	private static String text(String css) {
		WebElement element = new WebDriverWait(browser, Duration.ofSeconds(30))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
		return element.getText().strip();
	}

	private static boolean pageScrollsSideways() {
		Object wider = ((JavascriptExecutor) browser)
			.executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
		return Boolean.TRUE.equals(wider);
	}

	private static void shoot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void requireExecutable(String path) {
		if (Files.isExecutable(Path.of(path))) {
			return;
		}
		if (Tools.required()) {
			throw new AssertionError(path + " is required here (CI or CERTFLOW_REQUIRE_TOOLS is true) but is not "
					+ "installed; .ci/run installs Debian's chromium and chromium-driver");
		}
		Assumptions.abort(path + " is not installed (Debian chromium, chromium-driver); CI installs it");
	}

}
