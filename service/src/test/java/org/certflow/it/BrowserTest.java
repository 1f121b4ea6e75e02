package org.certflow.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

import org.certflow.tls.HttpsConnector;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that drive the RA console in Debian's headless Chromium through Debian's
 * chromedriver (never a downloaded browser). One browser per test class, its cookies
 * cleared around every test. Where Chromium is missing the tests skip, unless CI or
 * CERTFLOW_REQUIRE_TOOLS asks for every tool ({@link Tools}). Screenshots go to
 * {@code target/screenshots/}.
 * <p>
 * A test class that overrides {@link #overHttps()} to answer {@code true} gets a browser
 * that accepts exactly CertFlow's HTTPS key
 * ({@code --ignore-certificate-errors-spki-list} with the SHA-256 of its public key;
 * Chromium has no way to trust the demo root alone) and opens pages with
 * {@link #httpsUrl}.
 */
abstract class BrowserTest extends IntegrationTest {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Duration WAIT = Duration.ofSeconds(30);

	protected static WebDriver browser;

	@Autowired
	private HttpsConnector https;

	/**
	 * Whether this class's browser goes to CertFlow over HTTPS too.
	 * @return {@code false} unless a test class says otherwise
	 */
	protected boolean overHttps() {
		return false;
	}

	/**
	 * @param path a path on CertFlow
	 * @return its HTTPS address, on localhost (the name the certificate gives)
	 */
	protected String httpsUrl(String path) {
		assertThat(this.https.port()).as("the HTTPS port").isPositive();
		return "https://localhost:" + this.https.port() + path;
	}

	@BeforeEach
	void openBrowser() {
		if (browser == null) {
			requireExecutable(CHROMIUM);
			requireExecutable(CHROMEDRIVER);
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM);
			// Root in CI has no sandbox; /dev/shm may be small in containers.
			options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
					"--window-size=1280,900");
			if (overHttps()) {
				// Pins this server's key: every other certificate error still stops
				// the browser.
				options.addArguments("--ignore-certificate-errors-spki-list=" + spkiSha256(this.https.chain().get(0)));
			}
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

	/** Logs in on the RAMC login page (opened first unless the browser is on it). */
	protected void logIn(String user) {
		if (!browser.getCurrentUrl().contains("/ramc/login")) {
			open("/ramc/login");
		}
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(user);
		browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.not(ExpectedConditions.urlContains("/ramc/login")));
	}

	protected void open(String path) {
		// localhost, not 127.0.0.1: Chromium keeps the Secure session cookie over http
		// only for localhost.
		browser.get(overHttps() ? httpsUrl(path) : "http://localhost:" + this.port + path);
	}

	/** The click has started a navigation; the URL changes when the new page arrives. */
	protected static void awaitUrlEnding(String end) {
		new WebDriverWait(browser, WAIT).until((driver) -> driver.getCurrentUrl().endsWith(end));
		assertThat(browser.getCurrentUrl()).endsWith(end);
	}

	/**
	 * The text of the first element matching, once it is visible. An element that the
	 * page replaced while it was read is looked up again.
	 */
	protected static String text(String css) {
		return new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
			.ignoring(org.openqa.selenium.NoSuchElementException.class)
			.until((driver) -> {
				org.openqa.selenium.WebElement element = driver.findElement(By.cssSelector(css));
				try {
					return element.isDisplayed() ? element.getText().strip() : null;
				}
				catch (org.openqa.selenium.WebDriverException ex) {
					// Chromium's "node does not belong to the document": the page
					// changed.
					return null;
				}
			});
	}

	/**
	 * Clicks what leads to another page and waits until the old page is gone, so that
	 * what is read next comes from the new one.
	 */
	protected static void clickToNewPage(By target) {
		org.openqa.selenium.WebElement page = browser.findElement(By.tagName("html"));
		browser.findElement(target).click();
		new WebDriverWait(browser, WAIT).until((driver) -> gone(page));
	}

	/**
	 * Whether a page's element is gone. Chromium says so either as a stale element or as
	 * "node does not belong to the document".
	 */
	private static boolean gone(org.openqa.selenium.WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException ex) {
			return true;
		}
		catch (org.openqa.selenium.WebDriverException ex) {
			if (String.valueOf(ex.getMessage()).contains("does not belong to the document")) {
				return true;
			}
			throw ex;
		}
	}

	protected static boolean pageScrollsSideways() {
		Object wider = ((JavascriptExecutor) browser)
			.executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
		return Boolean.TRUE.equals(wider);
	}

	protected static void shoot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String spkiSha256(X509Certificate certificate) {
		try {
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
		}
		catch (NoSuchAlgorithmException ex) {
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
