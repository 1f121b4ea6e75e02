package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The applicant's pages in headless Chromium at phone width (375 px): the invitation link
 * from the mail, the landing page, the form's own error messages, a CSR chosen as a file
 * and pasted, the preview, the confirmation mail and status page, the officer's approval,
 * the activation with a wrong and then the right PIN, the success page and its three
 * downloads; then the pages for dead links, and a hostile name shown as text. A
 * screenshot of every page goes to {@code target/screenshots/applicant-*.png}.
 */
class ApplicantPagesBrowserTest extends BrowserTest {

	/** The applicant's data travels over TLS, as the seed asks. */
	@Override
	protected boolean overHttps() {
		return true;
	}

	private static final Pattern APPLY_LINK = Pattern.compile("(/apply\\?token=[A-Za-z0-9_-]+)");

	private static final Pattern STATUS_LINK = Pattern.compile("(/status\\?token=[A-Za-z0-9_-]+)");

	private static final Pattern ACTIVATE_LINK = Pattern.compile("(/activate\\?code=[A-Za-z0-9_-]+)");

	@Test
	void anApplicantWithACsrGoesFromTheInvitationMailToAnInstalledCertificate() throws Exception {
		phoneWidth();
		String email = newMailbox();
		String requestId = invite(email);
		open(find(APPLY_LINK, awaitMail(email, "invitation")));
		assertThat(text("h1")).isEqualTo("Your certificate invitation");
		assertThat(text("#linkValidity")).contains("in 14 days");
		assertThat(browser.findElements(By.tagName("h1"))).hasSize(1);
		assertThat(pageScrollsSideways()).as("fits 375 px").isFalse();
		shoot("applicant-landing");

		// The page's own check, with the server's words, announced and tied to the field.
		WebElement name = browser.findElement(By.id("fullName"));
		name.clear();
		chooseCsr();
		browser.findElement(By.cssSelector("#applicationForm button[type=submit]")).click();
		assertThat(text("#fullName-error")).isEqualTo("Full name is required.");
		assertThat(browser.findElement(By.id("fullName-error")).getAttribute("role")).isEqualTo("alert");
		assertThat(name.getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(name.getAttribute("aria-describedby")).contains("fullName-error");
		assertThat(browser.switchTo().activeElement()).isEqualTo(name);
		shoot("applicant-form-error");

		// A CSR file (DER), chosen with the file input.
		KeyPair key = newEcKey("secp256r1");
		Path der = Files.createTempFile("applicant", ".der");
		Files.write(der, csr(key, "CN=Ada from a file").getEncoded());
		name.sendKeys("Ada Applicant");
		browser.findElement(By.id("csrFile")).sendKeys(der.toAbsolutePath().toString());
		clickToNewPage(By.cssSelector("#applicationForm button[type=submit]"));
		assertThat(text("h1")).as(() -> browser.findElement(By.tagName("main")).getText())
			.isEqualTo("Check your application");
		assertThat(text("#csrSubject")).isEqualTo("CN=Ada from a file");
		assertThat(text("#certificateSubject")).contains("CN=Ada Applicant");
		assertThat(pageScrollsSideways()).isFalse();
		shoot("applicant-preview");
		assertThat(request(requestId).get("status").asText()).as("nothing stored before Submit").isEqualTo("INVITED");

		// Back, then the pasted way: the form kept the CSR as text.
		clickToNewPage(By.cssSelector("button[value=back]"));
		assertThat(text("h1")).isEqualTo("Your certificate invitation");
		WebElement pasted = browser.findElement(By.id("csrPem"));
		assertThat(pasted.getAttribute("value")).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
		pasted.clear();
		pasted.sendKeys(csrPem(key, "CN=Ada pasted"));
		chooseCsr();
		clickToNewPage(By.cssSelector("#applicationForm button[type=submit]"));
		assertThat(text("h1")).as(() -> browser.findElement(By.tagName("main")).getText())
			.isEqualTo("Check your application");
		assertThat(text("#csrSubject")).isEqualTo("CN=Ada pasted");
		clickToNewPage(By.cssSelector("button[value=submit]"));
		assertThat(text("h1")).isEqualTo("Application submitted");
		assertThat(text("main")).contains(requestId);
		shoot("applicant-applied");

		open(find(STATUS_LINK, awaitMail(email, "received")));
		awaitStatus(requestId, "PENDING_VALIDATION");
		browser.navigate().refresh();
		assertThat(text("#statusNow")).contains("With a validation officer");
		assertThat(text("#timeline")).contains("you submitted your application");
		assertThat(pageScrollsSideways()).isFalse();
		shoot("applicant-status-pending");

		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");
		browser.navigate().refresh();
		assertThat(text("#statusNow")).contains("Issued");
		shoot("applicant-status-issued");

		String mail = awaitMail(email, "ready");
		String pin = find(Pattern.compile("PIN: (\\d+)"), mail);
		open(find(ACTIVATE_LINK, mail));
		assertThat(text("h1")).isEqualTo("Collect your certificate");
		shoot("applicant-activate");
		browser.findElement(By.id("pin")).sendKeys("1");
		browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		assertThat(text(".error")).contains("The PIN is wrong", "attempts left");
		shoot("applicant-activate-wrong-pin");
		browser.findElement(By.id("pin")).sendKeys(pin);
		browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		awaitUrlEnding("/activate/done");
		assertThat(text("h1")).isEqualTo("Your certificate is ready");
		assertThat(browser.findElements(By.cssSelector("details summary")).stream().map(WebElement::getText).toList())
			.contains("Windows", "macOS", "Linux", "Firefox", "Thunderbird");
		assertThat(pageScrollsSideways()).isFalse();
		shoot("applicant-success");

		// The downloads, fetched in this browser session as its links would.
		List<X509Certificate> chain = certificates(fetch("/activate/certificate.pem"));
		assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
		assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("CN=Ada Applicant");
		assertThat(chain.get(0).getPublicKey()).isEqualTo(key.getPublic());
		assertThat(certificates(fetch("/activate/certificate.der"))).containsExactly(chain.get(0));
		List<Certificate> pkcs7 = new ArrayList<>(CertificateFactory.getInstance("X.509")
			.generateCertPath(new ByteArrayInputStream(fetch("/activate/certificate.p7b")), "PKCS7")
			.getCertificates());
		assertThat(pkcs7).containsExactlyElementsOf(new ArrayList<Certificate>(chain));
		Path pem = Files.createTempFile("chain", ".pem");
		Files.write(pem, fetch("/activate/certificate.pem"));

		// The invitation link again: used, and the page says what to do.
		open(find(APPLY_LINK, awaitMail(email, "invitation")));
		assertThat(text(".error")).contains("already been used", "status link");
		shoot("applicant-link-used");
	}

	@Test
	void deadLinksSaySoAndAHostileNameStaysText() throws Exception {
		phoneWidth();
		open("/apply?token=" + UUID.randomUUID());
		assertThat(text("h1")).isEqualTo("Application");
		assertThat(text(".error")).contains("not valid");
		shoot("applicant-link-unknown");

		String expiredEmail = newMailbox();
		String expired = invite(expiredEmail);
		String expiredLink = find(APPLY_LINK, awaitMail(expiredEmail, "invitation"));
		this.jdbc.update("update invitation set expires_at = ? where request_id = ?",
				Timestamp.from(Instant.now().minus(1, ChronoUnit.HOURS)), expired);
		open(expiredLink);
		assertThat(text(".error")).contains("has expired", "Ask your registration authority");
		shoot("applicant-link-expired");

		open("/status?token=" + UUID.randomUUID());
		assertThat(text(".error")).contains("status link is not valid");
		shoot("applicant-status-unknown");

		String email = newMailbox();
		invite(email);
		open(find(APPLY_LINK, awaitMail(email, "invitation")));
		WebElement name = browser.findElement(By.id("fullName"));
		name.clear();
		name.sendKeys(ApplicantPagesFlowTest.HOSTILE);
		chooseCsr();
		browser.findElement(By.id("csrPem")).sendKeys(csrPem(newEcKey("secp256r1"), "CN=<b>bold</b>"));
		clickToNewPage(By.cssSelector("#applicationForm button[type=submit]"));
		assertThat(text("h1")).as(() -> browser.findElement(By.tagName("main")).getText())
			.isEqualTo("Check your application");
		// Shown as text (RFC 4514 escapes it too), never as an element.
		assertThat(text("#certificateSubject")).contains("<img src");
		assertThat(text("#csrSubject")).contains("<b\\>bold");
		assertThat(browser.findElements(By.cssSelector("main img, main b"))).isEmpty();
		assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
		shoot("applicant-preview-hostile");
	}

	/**
	 * Picks "I have a CSR" by keyboard, as a keyboard user would (a click may land on
	 * Chromium's autofill list under the name field).
	 */
	private static void chooseCsr() {
		WebElement radio = browser.findElement(By.id("keySource-CSR"));
		if (!radio.isSelected()) {
			radio.sendKeys(Keys.SPACE);
		}
		assertThat(radio.isSelected()).isTrue();
	}

	private static void phoneWidth() {
		browser.manage().window().setSize(new Dimension(375, 812));
	}

	private static byte[] fetch(String path) {
		Object base64 = ((JavascriptExecutor) browser)
			.executeAsyncScript("const done = arguments[arguments.length - 1];"
					+ "fetch(arguments[0], {credentials: 'same-origin'}).then((r) => r.arrayBuffer()).then((b) => {"
					+ " let s = ''; new Uint8Array(b).forEach((x) => { s += String.fromCharCode(x); });"
					+ " done(btoa(s)); });", path);
		return Base64.getDecoder().decode(String.valueOf(base64).getBytes(StandardCharsets.US_ASCII));
	}

	private static List<X509Certificate> certificates(byte[] encoded) throws Exception {
		List<X509Certificate> out = new ArrayList<>();
		for (Certificate c : CertificateFactory.getInstance("X.509")
			.generateCertificates(new ByteArrayInputStream(encoded))) {
			out.add((X509Certificate) c);
		}
		return out;
	}

}
