package org.certflow.signer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.camunda.bpm.client.ExternalTaskClient;
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

	private final CertFlowProperties.Signer settings;

	private final SignCertificateHandler handler;

	private final List<ExternalTaskClient> clients = new ArrayList<>();

	private volatile boolean running;

	SigningClient(CertFlowProperties properties, IssueCertificate issueCertificate) {
		this.settings = properties.signer();
		this.handler = new SignCertificateHandler(issueCertificate, this.settings.lockDuration());
	}

	@Override
	public synchronized void start() {
		if (this.settings.password() == null || this.settings.password().isBlank()) {
			throw new IllegalStateException("certflow.signer.password is empty: the signer logs in to "
					+ this.settings.engineUrl() + " as " + this.settings.user() + " with it");
		}
		String worker = workerName();
		for (int i = 1; i <= this.settings.clients(); i++) {
			ExternalTaskClient client = ExternalTaskClient.create()
				.baseUrl(this.settings.engineUrl())
				.workerId(worker + "-" + i)
				.addInterceptor(new BasicAuthProvider(this.settings.user(), this.settings.password()))
				.maxTasks(this.settings.maxTasks())
				.lockDuration(this.settings.lockDuration().toMillis())
				.asyncResponseTimeout(this.settings.longPoll().toMillis())
				.backoffStrategy(new ReconnectBackoff())
				.build();
			client.subscribe(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE)
				.processDefinitionKey(CertificateRequestProcess.KEY)
				// Nothing but the business key (the request id) is needed.
				.variables()
				.handler(this.handler)
				.open();
			this.clients.add(client);
		}
		this.running = true;
		log.info("Signer {} fetching {} from {} with {} client(s)", worker,
				CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE, this.settings.engineUrl(), this.settings.clients());
	}

	@Override
	public synchronized void stop() {
		this.clients.forEach(ExternalTaskClient::stop);
		this.clients.clear();
		this.running = false;
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
