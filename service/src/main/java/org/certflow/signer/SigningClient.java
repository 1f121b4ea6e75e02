package org.certflow.signer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.camunda.bpm.client.ExternalTaskClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.certflow.CertFlowProperties;
import org.certflow.processes.CertificateRequestProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The signer's fetch loops: {@code certflow.signer.clients} instances of Camunda's
 * external task client, each with its own thread, long-polling the engine REST API for
 * {@code ca-sign-certificate} tasks. Started last and stopped first, so no task is
 * fetched before the CA is open or signed after the database has closed; a task fetched
 * but not finished when the signer stops is left to lock expiry and signed by the next
 * signer.
 */
@Component
class SigningClient implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SigningClient.class);

	private static final Duration GRACE = Duration.ofSeconds(2);

	private final CertFlowProperties.Signer settings;

	private final IssueCertificate issueCertificate;

	private final List<ExternalTaskClient> clients = new ArrayList<>();

	private final List<PoolingHttpClientConnectionManager> connections = new ArrayList<>();

	private volatile boolean running;

	SigningClient(CertFlowProperties properties, IssueCertificate issueCertificate) {
		this.settings = properties.signer();
		this.issueCertificate = issueCertificate;
	}

	@Override
	public synchronized void start() {
		if (this.settings.password() == null || this.settings.password().isBlank()) {
			throw new IllegalStateException("certflow.signer.password is empty: the signer logs in to "
					+ this.settings.engineUrl() + " as " + this.settings.user() + " with it");
		}
		String worker = workerName();
		// One HTTP client for the chunk completions of every loop; the engine calls go
		// through the external task clients' own connections.
		ChunkCompletion completion = new ChunkCompletion(this.settings.engineUrl(), this.settings.user(),
				this.settings.password(),
				HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(Duration.ofSeconds(10))
					.build());
		for (int i = 1; i <= this.settings.clients(); i++) {
			PoolingHttpClientConnectionManager connection = PoolingHttpClientConnectionManagerBuilder.create().build();
			// Each loop collects the tasks of a fetch and signs them as one chunk once
			// the client has handed over the whole fetch (see ReconnectBackoff).
			SignCertificateHandler handler = new SignCertificateHandler(this.issueCertificate,
					this.settings.lockDuration(), completion);
			ExternalTaskClient client = ExternalTaskClient.create()
				.baseUrl(this.settings.engineUrl())
				.workerId(worker + "-" + i)
				.addInterceptor(new BasicAuthProvider(this.settings.user(), this.settings.password()))
				.maxTasks(this.settings.maxTasks())
				.lockDuration(this.settings.lockDuration().toMillis())
				.asyncResponseTimeout(this.settings.longPoll().toMillis())
				.backoffStrategy(new ReconnectBackoff(handler::signChunk))
				.customizeHttpClient((http) -> http.setConnectionManager(connection))
				.build();
			client.subscribe(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE)
				.processDefinitionKey(CertificateRequestProcess.KEY)
				// Nothing but the business key (the request id) is needed.
				.variables()
				.handler(handler)
				.open();
			this.clients.add(client);
			this.connections.add(connection);
		}
		this.running = true;
		log.info("Signer {} fetching {} from {} with {} client(s)", worker,
				CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, this.settings.engineUrl(), this.settings.clients());
	}

	/**
	 * Lets each loop finish the task in hand and its fetch parked in a long poll return,
	 * then cuts what is left. Waiting matters: a fetch still parked on the engine when
	 * its client is gone would lock the next new task for a signer that no longer reads
	 * the answer, until the lock expires. A task cut off mid-way is signed again after
	 * its lock expires, which returns the certificate already in the journal.
	 */
	@Override
	public synchronized void stop() {
		List<Thread> stopping = new ArrayList<>();
		for (ExternalTaskClient client : this.clients) {
			Thread thread = new Thread(client::stop, "certflow-signer-stop");
			thread.setDaemon(true);
			thread.start();
			stopping.add(thread);
		}
		join(stopping, this.settings.longPoll().plus(GRACE));
		this.connections.forEach((connection) -> connection.close(CloseMode.IMMEDIATE));
		join(stopping, GRACE);
		this.clients.clear();
		this.connections.clear();
		this.running = false;
	}

	private static void join(List<Thread> threads, Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		for (Thread thread : threads) {
			try {
				thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static String workerName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "signer";
		}
		return host + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
