package org.certflow.billing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends billing events to the billing system: each one POSTed as JSON with an
 * {@code Idempotency-Key} header, from a sweep that runs on every node. An event is
 * claimed before it is sent, so nodes never send it at the same time; a node that dies
 * mid-call leaves it to another once its claim runs out, and the billing system sees the
 * same key again. A 2xx answer, or 409 (it already has the key), marks the event SENT. A
 * network error, a call that hangs past the timeout, 408, 429 or 5xx is retried with a
 * doubling wait, for days; any other answer says the event itself is refused, so it is
 * marked FAILED at once. FAILED events are listed for RA admins, who can send them again.
 * Issuance never waits for this.
 */
@Component
class BillingDispatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BillingDispatcher.class);

	private static final int MAX_ERROR_LENGTH = 1000;

	private final BillingLedger ledger;

	private final BillingSettings settings;

	private final ObjectMapper json;

	private final Clock clock;

	private final HttpClient http;

	private volatile ScheduledExecutorService executor;

	BillingDispatcher(BillingLedger ledger, BillingSettings settings, ObjectMapper json, Clock clock) {
		this.ledger = ledger;
		this.settings = settings;
		this.json = json;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * Sends what is due, until the billing system fails: the rest then waits for the next
	 * sweep instead of each waiting for a timeout now.
	 * @return how many events the billing system took
	 */
	int sendDue() {
		int sent = 0;
		List<String> due;
		do {
			due = this.ledger.due(this.clock.instant(), this.settings.batchSize());
			int tried = 0;
			for (String eventId : due) {
				Optional<Boolean> result = send(eventId);
				if (result.isPresent() && !result.get()) {
					return sent;
				}
				if (result.isPresent()) {
					tried++;
					sent++;
				}
			}
			if (tried == 0) {
				break;
			}
		}
		while (due.size() == this.settings.batchSize());
		return sent;
	}

	/**
	 * @return empty when another node has the event or it is not due; otherwise whether
	 * the billing system answered in a way that ends the attempts for now without
	 * pointing at an outage
	 */
	Optional<Boolean> send(String eventId) {
		Instant now = this.clock.instant();
		String claimId = UUID.randomUUID().toString();
		Optional<BillingLedger.Claimed> claimed = this.ledger.claim(eventId, claimId, now,
				now.plus(this.settings.claimDuration()));
		if (claimed.isEmpty()) {
			return Optional.empty();
		}
		BillingEvent event = claimed.get().event();
		int attempts = event.attempts() + 1;
		int status;
		try {
			status = post(event);
		}
		catch (IOException ex) {
			retryLater(claimed.get(), claimId, attempts, describe(ex));
			return Optional.of(false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			retryLater(claimed.get(), claimId, attempts, "interrupted while stopping");
			return Optional.of(false);
		}
		if ((status >= 200 && status < 300) || status == 409) {
			if (this.ledger.sent(eventId, claimId, attempts, this.clock.instant())) {
				log.info("Billing event {} ({} of serial {}) sent after {} attempt(s)", eventId, event.kind(),
						event.serialHex(), attempts);
			}
			return Optional.of(true);
		}
		if (status == 408 || status == 429 || status >= 500) {
			retryLater(claimed.get(), claimId, attempts, "the billing system answered HTTP " + status);
			return Optional.of(false);
		}
		this.ledger.attemptFailed(eventId, claimId, attempts,
				"the billing system refused the event with HTTP " + status, null, this.clock.instant());
		log.error(
				"Billing event {} ({} of serial {}) FAILED: the billing system answered HTTP {}. An RA admin can "
						+ "send it again with POST /api/v1/billing/events/{}/retry",
				eventId, event.kind(), event.serialHex(), status, eventId);
		return Optional.of(true);
	}

	private int post(BillingEvent event) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.settings.url())
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", event.idempotencyKey())
			.POST(HttpRequest.BodyPublishers.ofString(body(event)));
		if (!this.settings.authorization().isBlank()) {
			request.header("Authorization", this.settings.authorization());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	String body(BillingEvent event) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("eventId", event.eventId());
		body.put("idempotencyKey", event.idempotencyKey());
		body.put("kind", event.kind());
		body.put("issuer", event.issuerDn());
		body.put("serialNumber", event.serialHex());
		body.put("requestId", event.requestId());
		body.put("certificateClass", event.certificateClass());
		body.put("billingCode", event.billingCode());
		body.put("reason", event.reason());
		body.put("occurredAt", event.occurredAt().toString());
		try {
			return this.json.writeValueAsString(body);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("A billing event could not be written as JSON", ex);
		}
	}

	private void retryLater(BillingLedger.Claimed claimed, String claimId, int attempts, String error) {
		BillingEvent event = claimed.event();
		Instant now = this.clock.instant();
		boolean giveUp = !now.isBefore(claimed.pendingSince().plus(this.settings.giveUpAfter()));
		Instant next = giveUp ? null : now.plus(this.settings.retryDelay(attempts));
		if (!this.ledger.attemptFailed(event.eventId(), claimId, attempts, error, next, now)) {
			return;
		}
		if (giveUp) {
			log.error(
					"Billing event {} ({} of serial {}) FAILED after {} attempts since {}: {}. An RA admin can send "
							+ "it again with POST /api/v1/billing/events/{}/retry",
					event.eventId(), event.kind(), event.serialHex(), attempts, claimed.pendingSince(), error,
					event.eventId());
		}
		else {
			log.warn("Billing event {} ({} of serial {}) not sent, attempt {}; next attempt at {}: {}", event.eventId(),
					event.kind(), event.serialHex(), attempts, next, error);
		}
	}

	private static String describe(Exception ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (!text.isEmpty()) {
				text.append(" <- ");
			}
			text.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				text.append(": ").append(cause.getMessage().strip());
			}
		}
		return (text.length() > MAX_ERROR_LENGTH) ? text.substring(0, MAX_ERROR_LENGTH) : text.toString();
	}

	// --- lifecycle: only when the module is on

	@Override
	public boolean isAutoStartup() {
		return this.settings.enabled();
	}

	@Override
	public void start() {
		ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "billing-dispatcher");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.settings.sweepInterval().toMillis();
		pool.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
		this.executor = pool;
	}

	private void sweep() {
		try {
			sendDue();
		}
		catch (RuntimeException ex) {
			log.warn("Billing sweep failed; trying again in {}: {}", this.settings.sweepInterval(), ex.toString());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.executor;
		this.executor = null;
		if (running == null) {
			return;
		}
		running.shutdown();
		try {
			if (!running.awaitTermination(this.settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
				running.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			running.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
