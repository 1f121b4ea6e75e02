package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.certflow.ca.CsrInspector;
import org.certflow.ca.InspectedCsr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The two page scripts of the "key made in this browser" option, in Chromium, inside the
 * markup of their own fragments ({@code pages/key-browser.html} and
 * {@code pages/installed-browser.html}, read as the static prototypes Thymeleaf renders
 * from): the application script makes the key, fills csrPem and sends the form; the
 * activation script builds a .p12 that openssl and the JDK open, and says so clearly when
 * passwords differ or the key is not in this browser. The server's pages that include the
 * fragments are tested end to end elsewhere.
 */
class BrowserKeyScriptsTest extends BrowserTest {

	private static final Pattern FRAGMENT = Pattern.compile("(<(div|section) th:fragment=\"[a-z]+\".*?</\\2>)",
			Pattern.DOTALL);

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Autowired
	private CsrInspector inspector;

	@BeforeEach
	void openPage() {
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
		open("/");
	}

	@Test
	void theApplicationScriptMakesTheKeyFillsTheCsrAndSendsTheForm() throws Exception {
		String pem = applyWithBrowserKey("Ada Applicant");
		InspectedCsr inspected = this.inspector.inspect(CsrInspector.decodePem(pem), "standard");
		assertThat(inspected.keyDescription()).isEqualTo("ECDSA P-256");
		assertThat(inspected.requestedSubject()).isEqualTo("CN=Ada Applicant");
		assertThat(text("#browserKeyStatus")).contains("Key made and kept in this browser");
		assertThat(browser.findElement(By.id("browserKeyError")).isDisplayed()).isFalse();
	}

	@Test
	void theApplicationScriptAsksForTheNameBeforeMakingAKey() {
		injectApplicationForm("");
		browser.findElement(By.id("send")).click();
		assertThat(text("#browserKeyError"))
			.isEqualTo("Enter your full name first: it goes into the certificate request.");
		assertThat(browser.findElement(By.id("browserKeyError")).getAttribute("role")).isEqualTo("alert");
		assertThat(script("return window.sentCsr === undefined;")).isEqualTo(true);
	}

	@Test
	void theActivationScriptBuildsAP12FromTheKeyKeptAtApplication() throws Exception {
		Tools.requireOpenssl();
		String pem = applyWithBrowserKey("Ada Applicant");
		String chain = chainFor(pem);

		injectDelivery(chain);
		type("p12Password", "secret-p12-pass");
		type("p12PasswordRepeat", "secret-p12-pass-typo");
		browser.findElement(By.id("buildP12")).click();
		assertThat(text("#p12Error")).isEqualTo("The two passwords differ. Type the same password twice.");
		assertThat(browser.findElement(By.id("p12PasswordRepeat")).getAttribute("aria-invalid")).isEqualTo("true");

		browser.findElement(By.id("p12PasswordRepeat")).clear();
		type("p12PasswordRepeat", "secret-p12-pass");
		browser.findElement(By.id("buildP12")).click();
		new WebDriverWait(browser, WAIT)
			.until((driver) -> driver.findElement(By.id("p12Link")).getAttribute("href").startsWith("blob:"));
		assertThat(text("#p12Status")).startsWith("Your .p12 file is ready.");
		assertThat(browser.findElement(By.id("p12Link")).getAttribute("download")).isEqualTo("Ada-Applicant.p12");
		assertThat(browser.findElement(By.id("p12Password")).getAttribute("value")).isEmpty();

		String p12 = (String) async("""
				const blob = window.lastBlob;
				const asn1 = await import('/js/asn1.js');
				return asn1.base64(new Uint8Array(await blob.arrayBuffer()));
				""");
		Path dir = Files.createTempDirectory("browser-key-scripts");
		Path file = dir.resolve("page.p12");
		Files.write(file, Base64.getDecoder().decode(p12));
		Process openssl = new ProcessBuilder("openssl", "pkcs12", "-in", file.toString(), "-passin",
				"pass:secret-p12-pass", "-nodes", "-info", "-out", dir.resolve("out.pem").toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(openssl.exitValue()).as(output).isZero();
		assertThat(output).contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC");
		KeyStore store = KeyStore.getInstance("PKCS12", "SUN");
		store.load(new ByteArrayInputStream(Files.readAllBytes(file)), "secret-p12-pass".toCharArray());
		String alias = Collections.list(store.aliases()).get(0);
		assertThat(store.getCertificateChain(alias)).hasSize(2);
		assertThat(store.getCertificate(alias).getPublicKey().getEncoded()).isEqualTo(
				new PKCS10CertificationRequest(CsrInspector.decodePem(pem)).getSubjectPublicKeyInfo().getEncoded());

		browser.findElement(By.id("removeKey")).click();
		new WebDriverWait(browser, WAIT).until((driver) -> driver.findElement(By.id("p12Status"))
			.getText()
			.startsWith("The key is removed from this browser."));
		type("p12Password", "secret-p12-pass");
		type("p12PasswordRepeat", "secret-p12-pass");
		browser.findElement(By.id("buildP12")).click();
		assertThat(text("#p12Error")).startsWith("The private key for this certificate is not in this browser.");
	}

	@Test
	void theActivationScriptSaysSoWhenTheCertificateIsNoLongerOffered() {
		injectDelivery(null);
		type("p12Password", "secret-p12-pass");
		type("p12PasswordRepeat", "secret-p12-pass");
		browser.findElement(By.id("buildP12")).click();
		assertThat(text("#p12Error")).startsWith("The certificate is no longer offered on this page.");
	}

	// ---------------------------------------------------------------------------

	/** Fills the application form in the page and sends it; returns the CSR it sent. */
	private String applyWithBrowserKey(String name) {
		injectApplicationForm(name);
		new Select(browser.findElement(By.id("keyAlgorithm"))).selectByValue("EC-P256");
		browser.findElement(By.id("send")).click();
		new WebDriverWait(browser, WAIT).until((driver) -> script("return window.sentCsr !== undefined;"));
		String pem = (String) script("return window.sentCsr;");
		assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
		return pem;
	}

	/**
	 * The application form as apply.html has it (name, key source, csrPem) around the
	 * fragment's own markup; form.submit() records the CSR instead of leaving the page.
	 */
	private void injectApplicationForm(String name) {
		// What Thymeleaf renders for a class allowing RSA-2048 and EC-P256.
		String fragment = fragment("pages/key-browser.html").replaceAll("(?s)<option.*?</option>",
				"<option value=\"RSA-2048\">RSA 2048 bits</option><option value=\"EC-P256\">ECDSA P-256</option>");
		script("""
				document.body.innerHTML = '<form id="applicationForm" method="post" action="/apply">'
					+ '<label for="fullName">Full name</label><input id="fullName" name="fullName">'
					+ '<input type="radio" name="keySource" value="BROWSER" checked>'
					+ '<input type="radio" name="keySource" value="CSR">'
					+ arguments[0]
					+ '<textarea name="csrPem" required></textarea>'
					+ '<button type="submit" id="send">Submit application</button></form>';
				document.getElementById('fullName').value = arguments[1];
				const form = document.getElementById('applicationForm');
				form.submit = () => { window.sentCsr = form.elements.namedItem('csrPem').value; };
				""", fragment, name);
		async("await import('/js/apply-browser-key.js');");
	}

	/**
	 * The delivery fragment in the page; fetch answers the chain (or 410 for null), as
	 * GET /activate/certificate.pem does right after an activation.
	 */
	private void injectDelivery(String chain) {
		script("""
				document.body.innerHTML = arguments[0];
				const chain = arguments[1];
				// The page's CSP (connect-src 'self') keeps the test from fetching the blob:
				// URL; keep the Blob as the script hands it over.
				const createObjectURL = URL.createObjectURL;
				URL.createObjectURL = (blob) => {
					window.lastBlob = blob;
					return createObjectURL.call(URL, blob);
				};
				window.fetch = async (url) => {
					if (url !== '/activate/certificate.pem') {
						throw new Error('unexpected fetch of ' + url);
					}
					return chain === null ? new Response('gone', { status: 410 }) : new Response(chain, { status: 200 });
				};
				""",
				fragment("pages/installed-browser.html"), chain);
		async("await import('/js/activate-browser-key.js');");
	}

	/**
	 * A chain as the activation endpoint sends it: the leaf for the CSR's key, then a CA.
	 */
	private static String chainFor(String csrPem) throws Exception {
		KeyPair caKey = newRsaKey(2048);
		SubjectPublicKeyInfo applicantKey = new PKCS10CertificationRequest(CsrInspector.decodePem(csrPem))
			.getSubjectPublicKeyInfo();
		X509Certificate leaf = certificate("CN=Ada Applicant", applicantKey, caKey);
		X509Certificate ca = certificate("CN=Script Test CA",
				SubjectPublicKeyInfo.getInstance(caKey.getPublic().getEncoded()), caKey);
		return pem(leaf) + pem(ca);
	}

	private static X509Certificate certificate(String subject, SubjectPublicKeyInfo key, KeyPair issuer)
			throws Exception {
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name("CN=Script Test CA"),
				BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
				Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), key);
		byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate()))
			.getEncoded();
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(der));
	}

	/** The fragment element of a template file, without its script tag (loaded here). */
	private static String fragment(String template) {
		try (InputStream in = BrowserKeyScriptsTest.class.getResourceAsStream("/templates/" + template)) {
			Matcher m = FRAGMENT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			if (!m.find()) {
				fail("no fragment in " + template);
			}
			return m.group(1).replaceAll("(?s)<script[^>]*></script>", "");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void type(String id, String value) {
		browser.findElement(By.id(id)).sendKeys(value);
	}

	private static Object script(String body, Object... args) {
		return ((JavascriptExecutor) browser).executeScript(body, args);
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
