package org.certflow.it;

import java.util.ArrayList;
import java.util.List;

import org.certflow.request.PasswordStrength;
import org.certflow.request.PasswordStrengthSamples;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's password meter runs the server's rule: the same passwords get the same
 * estimate in Chromium as in Java, and the meter on the application page says why a
 * password is too weak before the server has to.
 */
class ServerKeyBrowserTest extends BrowserTest {

	/** The applicant's data travels over TLS, as the seed asks. */
	@Override
	protected boolean overHttps() {
		return true;
	}

	private static final String NAME = "Ada Lovelace";

	private static final String EMAIL = "ada.lovelace@example.org";

	private static final String ORGANISATION = "Analytical Engines";

	@Test
	void thePageAndTheServerEstimateEveryPasswordAlike() {
		open("/");
		@SuppressWarnings("unchecked")
		List<Object> fromPage = (List<Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import('/js/password-strength.js')
				  .then((m) => done(arguments[0].map((p) => m.bits(p, arguments[1], arguments[2], arguments[3]))))
				  .catch((e) => done(String(e)));
				""", PasswordStrengthSamples.SAMPLES, NAME, EMAIL, ORGANISATION);
		List<Integer> fromServer = new ArrayList<>();
		for (String sample : PasswordStrengthSamples.SAMPLES) {
			fromServer.add(PasswordStrength.bits(sample, NAME, EMAIL, ORGANISATION));
		}
		assertThat(fromPage).as("page estimates").hasSize(fromServer.size());
		List<Integer> page = fromPage.stream().map((n) -> ((Number) n).intValue()).toList();
		assertThat(page).isEqualTo(fromServer);
		// And the samples straddle the line, so the verdicts are tested on both sides.
		assertThat(fromServer).anyMatch((bits) -> bits < PasswordStrength.REQUIRED_BITS)
			.anyMatch((bits) -> bits >= PasswordStrength.REQUIRED_BITS);
	}

	@Test
	void theMeterSaysWhyAPasswordIsTooWeakAndWhenItIsStrongEnough() {
		String email = newMailbox();
		invite(email);
		open("/apply?token=" + invitationToken(email));
		browser.findElement(By.id("keySource-SERVER")).click();
		WebElement password = browser.findElement(By.id("p12Password"));
		password.sendKeys("Password123!");
		assertThat(text("#p12StrengthText")).contains("Too easy to guess");
		password.clear();
		password.sendKeys("tangerine orbit velvet quarry lantern");
		new WebDriverWait(browser, java.time.Duration.ofSeconds(10))
			.until((driver) -> driver.findElement(By.id("p12StrengthText")).getText().contains("Strong enough"));
		assertThat(browser.findElement(By.id("p12StrengthText")).getAttribute("aria-live")).isEqualTo("polite");
		shoot("apply-server-key");
	}

}
