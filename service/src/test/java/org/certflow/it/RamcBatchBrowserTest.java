package org.certflow.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RA console's batch pages in headless Chromium (same rules as
 * {@link RamcBrowserTest}): upload a file, watch the batch's page refresh until its
 * progress bar reaches 100 %, read the refused row and the report link; a bad file and
 * the same file again are told on the page. Screenshots go to
 * {@code target/screenshots/batch-*.png}.
 */
class RamcBatchBrowserTest extends BrowserTest {

	@Test
	void anAdminUploadsAFileAndWatchesItsProgressReachAHundredPercent() throws IOException {
		StringBuilder csv = new StringBuilder("email,fullName,certificateClass\r\n");
		List<String> mailboxes = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			String email = newMailbox();
			mailboxes.add(email);
			csv.append(email).append(",Applicant ").append(i).append(",standard\r\n");
		}
		csv.append("not-a-mailbox,Nobody,standard\r\n");
		Path file = Files.createTempFile("batch-", ".csv");
		Files.writeString(file, csv);

		open("/ramc/login");
		logIn(ADMIN);
		clickToNewPage(By.linkText("Batches"));
		assertThat(text("h1")).isEqualTo("Batch files");
		shoot("batch-upload");
		browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#batch-upload button[type=submit]")).click();
		try {
			new WebDriverWait(browser, Duration.ofSeconds(30))
				.until(ExpectedConditions.urlMatches("/ramc/batches/[0-9a-f-]{36}$"));
		}
		catch (RuntimeException ex) {
			throw new AssertionError(browser.getCurrentUrl() + "\n" + browser.getPageSource(), ex);
		}
		List<String> seen = new ArrayList<>();
		new WebDriverWait(browser, Duration.ofSeconds(60)).until((driver) -> {
			String percent = driver.findElement(By.id("percent")).getText().strip();
			if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(percent)) {
				seen.add(percent);
			}
			return !driver.findElements(By.id("batch-done")).isEmpty();
		});
		assertThat(seen).endsWith("100");
		assertThat(text("#percent")).isEqualTo("100");
		assertThat(browser.findElement(By.id("batch-progress")).getAttribute("value")).isEqualTo("100");
		assertThat(text("#total")).isEqualTo("31");
		assertThat(text("#created")).isEqualTo("30");
		assertThat(text("#failed")).isEqualTo("1");
		assertThat(text("#errors tbody")).contains("32", "not-a-mailbox");
		assertThat(browser.findElement(By.id("error-report")).getAttribute("href")).endsWith("/errors.csv");
		assertThat(text("#requests tbody")).contains("2");
		shoot("batch-done");
		awaitMail(mailboxes.get(29), "invitation");

		// The same file again: its batch, nothing made twice.
		open("/ramc/batches");
		browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#batch-upload button[type=submit]")).click();
		assertThat(text("#notice")).contains("uploaded before", "Nothing was made twice");
		shoot("batch-again");

		Path empty = Files.createTempFile("empty-", ".csv");
		open("/ramc/batches");
		browser.findElement(By.id("file")).sendKeys(empty.toAbsolutePath().toString());
		browser.findElement(By.cssSelector("#batch-upload button[type=submit]")).click();
		assertThat(text("#form-error")).contains("The file is empty");
		shoot("batch-empty");
		Files.delete(file);
		Files.delete(empty);
	}

}
