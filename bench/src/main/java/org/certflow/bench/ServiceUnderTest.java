package org.certflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real service jar in a JVM of its own, on free ports and a data directory of its
 * own, configured only through the settings an operator has ({@code application.yml}), so
 * that what is measured is what ships.
 */
final class ServiceUnderTest implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final Path log;

	private final int httpPort;

	private final int imapPort;

	private ServiceUnderTest(Process process, Path log, int httpPort, int imapPort) {
		this.process = process;
		this.log = log;
		this.httpPort = httpPort;
		this.imapPort = imapPort;
	}

	/**
	 * Starts the service and waits until it answers over HTTP.
	 * @param options the run's options (service jar, JVM options)
	 * @param dataDir a fresh directory for the CA files (and the H2 database)
	 * @param database the database it runs on
	 * @return the running service
	 */
	static ServiceUnderTest start(BenchOptions options, Path dataDir, ScratchDatabase database)
			throws IOException, InterruptedException {
		int http = Jvms.freePort();
		int smtp = Jvms.freePort();
		int imap = Jvms.freePort();
		List<String> command = new ArrayList<>();
		command.add(Jvms.java());
		command.addAll(options.jvmArgs());
		command.add("-jar");
		command.add(options.serviceJar().toString());
		command.add("--server.port=" + http);
		// The bench measures over HTTP; the HTTPS listener only needs a free port.
		command.add("--certflow.https.port=0");
		command.add("--certflow.data-dir=" + dataDir.toAbsolutePath());
		command.add("--certflow.public-base-url=http://localhost:" + http);
		// The embedded mail server stays on beside profile mysql too: the applicant reads
		// the invitation over IMAP, as the README's walk does.
		command.add("--certflow.mail.embedded.enabled=true");
		command.add("--certflow.mail.embedded.smtp-port=" + smtp);
		command.add("--certflow.mail.embedded.imap-port=" + imap);
		command.add("--certflow.directory.embedded.port=0");
		command.addAll(database.serviceArguments());
		Path log = dataDir.resolveSibling("service.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(dataDir.toFile());
		builder.environment().putAll(database.serviceEnvironment());
		ServiceUnderTest service = new ServiceUnderTest(builder.start(), log, http, imap);
		try {
			service.awaitReady();
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			service.close();
			throw ex;
		}
		return service;
	}

	int httpPort() {
		return this.httpPort;
	}

	int imapPort() {
		return this.imapPort;
	}

	Path log() {
		return this.log;
	}

	private void awaitReady() throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/ca/chain.pem"))
			.timeout(Duration.ofSeconds(10))
			.build();
		Instant until = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(until)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The service stopped during start-up (exit " + this.process.exitValue()
						+ "). Last lines of " + this.log + ":\n" + Jvms.tail(this.log, 40));
			}
			try {
				if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("The service did not answer within " + START_TIMEOUT + ". Last lines of "
				+ this.log + ":\n" + Jvms.tail(this.log, 40));
	}

	/**
	 * Stops it as an operator would (SIGTERM), so that it closes its database cleanly.
	 */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			System.err.println("The service did not stop within " + STOP_TIMEOUT + "; killing it.");
			this.process.destroyForcibly().waitFor();
		}
	}

}
