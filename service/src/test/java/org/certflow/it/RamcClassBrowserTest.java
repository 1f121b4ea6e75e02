package org.certflow.it;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's class pages in Debian's headless Chromium (the same rules as
 * {@link RamcBrowserTest}: skipped where Chromium is missing unless CI or
 * CERTFLOW_REQUIRE_TOOLS asks for every tool): log in, create a class after a wrong
 * value, edit it, retire it and see it gone from the invitation form; every page at phone
 * width without sideways scrolling. Screenshots go to {@code target/screenshots/}.
 */
class RamcClassBrowserTest extends BrowserTest {

	@Test
	void anAdminCreatesEditsAndRetiresAClass() {
		open("/ramc/classes");
		assertThat(browser.getCurrentUrl()).as("anonymous users land on the login page").endsWith("/ramc/login");
		logIn(ADMIN);
		assertThat(text("h1")).isEqualTo("Certificate classes");
		assertThat(browser.findElement(By.linkText("Classes")).getAttribute("aria-current")).isEqualTo("page");
		assertThat(browser.findElements(By.id("class-standard"))).hasSize(1);
		shoot("ramc-classes");

		clickToNewPage(By.id("new-class"));
		assertThat(text("h1")).isEqualTo("New certificate class");
		String name = "browser-" + UUID.randomUUID().toString().substring(0, 8);
		browser.findElement(By.id("name")).sendKeys(name);
		browser.findElement(By.id("displayName")).sendKeys("Made in the browser");
		WebElement validity = browser.findElement(By.id("validityDays"));
		validity.clear();
		validity.sendKeys("900");
		browser.findElement(By.id("keySources-SERVER")).click();
		shoot("ramc-class-new");
		submit();

		// Wrong input: the service's message beside the field, every value kept.
		assertThat(text("#validityDays-error")).isEqualTo("validityDays must be from 1 to 825, not 900.");
		assertThat(browser.findElement(By.cssSelector("#problem-summary a")).getAttribute("href"))
			.endsWith("#validityDays");
		assertThat(browser.findElement(By.id("validityDays")).getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(browser.findElement(By.id("name")).getAttribute("value")).isEqualTo(name);
		assertThat(browser.findElement(By.id("keySources-SERVER")).isSelected()).isTrue();
		shoot("ramc-class-new-errors");
		validity = browser.findElement(By.id("validityDays"));
		validity.clear();
		validity.sendKeys("400");
		submit();
		assertThat(text(".success")).isEqualTo("Class '" + name + "' created.");
		assertThat(text("#class-" + name)).contains("Made in the browser", "400 days", "immediate");
		shoot("ramc-classes-created");

		clickToNewPage(By.cssSelector("a[aria-label='Edit " + name + "']"));
		assertThat(text("h1")).isEqualTo("Edit class " + name);
		WebElement displayName = browser.findElement(By.id("displayName"));
		displayName.clear();
		displayName.sendKeys("Renamed in the browser");
		browser.findElement(By.id("issueImmediately-false")).click();
		WebElement escalation = browser.findElement(By.id("escalationAfter"));
		escalation.sendKeys("PT4H");
		shoot("ramc-class-edit");
		submit();
		assertThat(text(".success")).startsWith("Class '" + name + "' saved (version 1).");
		assertThat(text("#class-" + name)).contains("Renamed in the browser", "scheduled", "PT4H");

		clickToNewPage(By.cssSelector("a[aria-label='Retire " + name + "']"));
		assertThat(text("h1")).isEqualTo("Retire class " + name);
		shoot("ramc-class-retire");
		browser.findElement(By.cssSelector("#retire button[type=submit]")).click();
		assertThat(text(".success")).startsWith("Class '" + name + "' retired");
		assertThat(text("#class-" + name)).contains("retired 20");
		assertThat(browser.findElements(By.cssSelector("a[aria-label='Retire " + name + "']"))).isEmpty();
		shoot("ramc-classes-retired");

		open("/ramc/invitations");
		List<String> offered = new Select(browser.findElement(By.id("certificateClass"))).getOptions()
			.stream()
			.map((option) -> option.getAttribute("value"))
			.toList();
		assertThat(offered).contains("standard").doesNotContain(name);
	}

	@Test
	void theClassPagesFitAPhone() {
		open("/ramc/login");
		logIn(ADMIN);
		browser.manage().window().setSize(new Dimension(375, 812));
		for (String page : new String[] { "/ramc/classes", "/ramc/classes/new", "/ramc/classes/standard/edit",
				"/ramc/classes/standard/retire" }) {
			open(page);
			assertThat(pageScrollsSideways()).as(page + " at 375 px").isFalse();
			shoot(page.substring(1).replace('/', '-') + "-phone");
		}
		open("/ramc/classes/new");
		browser.findElement(By.id("name")).sendKeys("Not A Name");
		submit();
		assertThat(text("#name-error")).startsWith("name must be 2 to 64 characters");
		assertThat(pageScrollsSideways()).isFalse();
		shoot("ramc-classes-new-errors-phone");
	}

	/** Sends the class form and waits for the next page to replace it. */
	private static void submit() {
		WebElement button = browser.findElement(By.cssSelector("#class-form button[type=submit]"));
		button.click();
		new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(button));
	}

}
