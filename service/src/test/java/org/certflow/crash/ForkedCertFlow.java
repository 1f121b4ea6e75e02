package org.certflow.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CertFlow in a JVM of its own, started as an operator starts it (main class, command
 * line settings, a data directory), so that a test can kill it as the operating system
 * would: {@link #kill()} is SIGKILL, {@link #stop()} is SIGTERM.
 */
final class ForkedCertFlow implements AutoCloseable {

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private static final String SIGNER_STARTED = "fetching ca-sign-certificate from";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final Process process;

	private final Path log;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private ForkedCertFlow(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/**
	 * Starts CertFlow on a data directory and waits until it serves HTTP.
	 * @param dataDir its data directory (CA files and H2 database)
	 * @param logName the log file's name beside the data directory, one per start
	 * @param extraArgs further command line settings
	 * @return the running CertFlow
	 */
	static ForkedCertFlow start(Path dataDir, String logName, String... extraArgs)
			throws IOException, InterruptedException {
		return start(false, dataDir, logName, extraArgs);
	}

	/**
	 * Starts a signer process ({@code certflow.role=signer}) and waits until it fetches
	 * tasks.
	 * @param dataDir its data directory (the CA key store)
	 * @param logName the log file's name beside the data directory
	 * @param extraArgs further command line settings: the engine URL, the password
	 * @return the running signer; it has no port
	 */
	static ForkedCertFlow signer(Path dataDir, String logName, String... extraArgs)
			throws IOException, InterruptedException {
		List<String> args = new ArrayList<>(List.of("--certflow.role=signer"));
		args.addAll(List.of(extraArgs));
		return start(true, dataDir, logName, args.toArray(String[]::new));
	}

	private static ForkedCertFlow start(boolean signer, Path dataDir, String logName, String... extraArgs)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx384m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add("org.certflow.CertFlowApplication");
		command.add("--server.port=0");
		command.add("--certflow.https.port=0");
		command.add("--certflow.data-dir=" + dataDir);
		command.add("--certflow.mail.embedded.smtp-port=0");
		command.add("--certflow.mail.embedded.imap-port=0");
		command.add("--certflow.directory.embedded.port=0");
		command.add("--spring.main.banner-mode=off");
		command.addAll(List.of(extraArgs));
		Path log = dataDir.resolveSibling(logName);
		Files.createDirectories(dataDir);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"CertFlow did not start (exit " + process.exitValue() + "):\n" + tail(log));
			}
			if (signer && Files.readString(log, StandardCharsets.UTF_8).contains(SIGNER_STARTED)) {
				return new ForkedCertFlow(process, log, -1);
			}
			Matcher started = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
			int port = -1;
			while (started.find()) {
				port = Integer.parseInt(started.group(1));
			}
			if (port > 0 && Files.readString(log, StandardCharsets.UTF_8).contains("Started CertFlowApplication")) {
				return new ForkedCertFlow(process, log, port);
			}
			Thread.sleep(200);
		}
		process.destroyForcibly();
		throw new IllegalStateException("CertFlow did not start within " + START_TIMEOUT + ":\n" + tail(log));
	}

	int port() {
		return this.port;
	}

	String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	/** SIGKILL: no shutdown hook, no flush, no close. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/**
	 * SIGTERM: the graceful shutdown an operator or a service manager triggers.
	 * @return the exit code
	 */
	int stop(Duration timeout) throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
			throw new IllegalStateException("CertFlow did not stop within " + timeout);
		}
		return this.process.exitValue();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	HttpResponse<String> send(String method, String path, String body, String user) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (user != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	static String tail(Path log) {
		try {
			String text = Files.readString(log, StandardCharsets.UTF_8);
			return text.substring(Math.max(0, text.length() - 6000));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
