package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The "make my key in this browser" path end to end in Chromium: the invitation mail's
 * link, the form (the key pair and CSR made by the page), the officer's approval, the
 * activation mail's link and PIN, and the .p12 the success page builds from the key it
 * kept, opened by {@code openssl pkcs12} without {@code -legacy}, by {@code keytool} and
 * by the JDK, its key matching the certificate CertFlow issued.
 */
class ApplicantBrowserKeyTest extends BrowserTest {

	/** The applicant's data travels over TLS, as the seed asks. */
	@Override
	protected boolean overHttps() {
		return true;
	}

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final String P12_PASSWORD = "my-own-p12-pass";

	@Test
	void anApplicantMakesTheKeyInTheBrowserAndInstallsTheCertificateAsAP12() throws Exception {
		Tools.requireOpenssl();
		Tools.require("keytool");
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
		String email = newMailbox();
		String requestId = invite(email);
		open("/apply?token=" + invitationToken(email));

		assertThat(browser.findElement(By.id("keySource-BROWSER")).isSelected()).isTrue();
		Select keyType = new Select(browser.findElement(By.id("keyAlgorithm")));
		assertThat(keyType.getOptions()).extracting((option) -> option.getAttribute("value"))
			.isNotEmpty()
			.isSubsetOf("RSA-2048", "RSA-3072", "EC-P256");
		assertThat(text("#browserKeyHint")).contains("Use this same browser on this computer to install");
		// The invitation's name is filled in; the applicant corrects it.
		browser.findElement(By.id("fullName")).clear();
		browser.findElement(By.id("fullName")).sendKeys("Ada Lovelace");
		keyType.selectByValue("EC-P256");
		shoot("apply-browser-key");
		browser.findElement(By.cssSelector("#applicationForm button[type=submit]")).click();
		try {
			new WebDriverWait(browser, WAIT)
				.until(ExpectedConditions.textToBe(By.tagName("h1"), "Application submitted"));
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			shoot("apply-browser-key-stuck");
			throw new AssertionError("the application was not sent: " + pageState(), ex);
		}

		awaitStatus(requestId, "PENDING_VALIDATION");
		assertThat(this.jdbc.queryForObject("select key_source from certificate_request where request_id = ?",
				String.class, requestId))
			.isEqualTo("BROWSER");
		assertThat(decide(requestId, "approve", null).statusCode()).isEqualTo(204);
		awaitStatus(requestId, "ISSUED");

		String[] activation = activation(email);
		open("/activate?code=" + activation[0]);
		browser.findElement(By.id("pin")).sendKeys(activation[1]);
		browser.findElement(By.cssSelector("main form button[type=submit]")).click();
		awaitUrlEnding("/activate/done");
		assertThat(text("#browserKeyHeading")).isEqualTo("Install your certificate with the key in this browser");
		assertThat(browser.findElement(By.id("chainLink")).getAttribute("href")).endsWith("/activate/certificate.pem");
		String serial = text("main p[role=status] code");

		// The page's CSP keeps a test from fetching the blob: URL; keep the Blob as the
		// script hands it to the download link.
		((JavascriptExecutor) browser).executeScript("""
				const createObjectURL = URL.createObjectURL;
				URL.createObjectURL = (blob) => {
					window.lastBlob = blob;
					return createObjectURL.call(URL, blob);
				};
				""");
		browser.findElement(By.id("p12Password")).sendKeys(P12_PASSWORD);
		browser.findElement(By.id("p12PasswordRepeat")).sendKeys(P12_PASSWORD);
		browser.findElement(By.id("buildP12")).click();
		WebElement link = new WebDriverWait(browser, WAIT).until((driver) -> {
			WebElement candidate = driver.findElement(By.id("p12Link"));
			return candidate.getAttribute("href").startsWith("blob:") ? candidate : null;
		});
		assertThat(link.getAttribute("download")).isEqualTo("Ada-Lovelace.p12");
		assertThat(text("#p12Status")).startsWith("Your .p12 file is ready.");
		shoot("activated-browser-key");

		Path dir = Files.createTempDirectory("applicant-browser-key");
		Path p12 = dir.resolve("page.p12");
		Files.write(p12, Base64.getDecoder().decode((String) async("""
				const asn1 = await import('/js/asn1.js');
				return asn1.base64(new Uint8Array(await window.lastBlob.arrayBuffer()));
				""")));

		String info = run(dir, "openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-nodes",
				"-info", "-out", dir.resolve("all.pem").toString());
		assertThat(info).contains("MAC: sha256", "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC", "PRF hmacWithSHA256");
		run(dir, "openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-nocerts", "-nodes",
				"-out", dir.resolve("key.pem").toString());
		run(dir, "openssl", "pkey", "-in", dir.resolve("key.pem").toString(), "-pubout", "-outform", "DER", "-out",
				dir.resolve("key-pub.der").toString());
		String listed = run(dir, "keytool", "-list", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass",
				P12_PASSWORD);
		assertThat(listed).contains("Your keystore contains 1 entry", "PrivateKeyEntry");

		KeyStore store = KeyStore.getInstance("PKCS12", "SUN");
		store.load(new ByteArrayInputStream(Files.readAllBytes(p12)), P12_PASSWORD.toCharArray());
		List<String> aliases = Collections.list(store.aliases());
		assertThat(aliases).containsExactly("ada lovelace");
		Certificate[] chain = store.getCertificateChain(aliases.get(0));
		assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
		X509Certificate leaf = (X509Certificate) chain[0];
		assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=Ada Lovelace");
		assertThat(leaf.getSerialNumber().toString(16)).as("the certificate the success page names")
			.isEqualToIgnoringCase(serial);
		assertThat(Files.readAllBytes(dir.resolve("key-pub.der"))).as("openssl's key is the certificate's key")
			.isEqualTo(leaf.getPublicKey().getEncoded());
		PrivateKey key = (PrivateKey) store.getKey(aliases.get(0), P12_PASSWORD.toCharArray());
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(key);
		signer.update(new byte[] { 1, 2, 3 });
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance("SHA256withECDSA");
		verifier.initVerify(leaf);
		verifier.update(new byte[] { 1, 2, 3 });
		assertThat(verifier.verify(signature)).isTrue();

		// Once installed, the key can go; a browser without it is told so plainly.
		browser.findElement(By.id("removeKey")).click();
		new WebDriverWait(browser, WAIT).until((driver) -> driver.findElement(By.id("p12Status"))
			.getText()
			.startsWith("The key is removed from this browser."));
		browser.findElement(By.id("p12Password")).sendKeys(P12_PASSWORD);
		browser.findElement(By.id("p12PasswordRepeat")).sendKeys(P12_PASSWORD);
		browser.findElement(By.id("buildP12")).click();
		assertThat(text("#p12Error")).startsWith("The private key for this certificate is not in this browser.");
		shoot("activated-browser-key-missing");
	}

	/** What the page says, for a failure message. */
	private static String pageState() {
		return browser.getCurrentUrl() + "\n" + browser.findElement(By.tagName("body")).getText();
	}

	private static String run(Path dir, String... command) throws Exception {
		Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
		return output;
	}

	private static Object async(String body) {
		Object result = ((JavascriptExecutor) browser)
			.executeAsyncScript("const done = arguments[arguments.length - 1]; (async () => {" + body
					+ "})().then((value) => done({ value: value === undefined ? null : value }),"
					+ " (e) => done({ error: String((e && e.stack) || e) }));");
		Map<?, ?> map = (Map<?, ?>) result;
		if (map.containsKey("error")) {
			fail("JavaScript failed: " + map.get("error"));
		}
		return map.get("value");
	}

}
