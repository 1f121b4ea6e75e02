package org.certflow.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.certflow.CertFlowProperties;
import org.certflow.delivery.MailOutbox.ClaimedMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends the outbox's mail over SMTP. A new mail is handed over right after the
 * transaction that queued it commits ({@link #sendSoon}), so an applicant gets it as fast
 * as before, but never before the link in it works. A sweep on every node picks up what
 * is left: mail whose retry is due, mail a crashed node had claimed, mail queued while
 * this node was stopping. Delivery is at least once: a node that dies after the SMTP
 * server took a mail but before recording it sends that mail again once its claim
 * expires. Bodies (links, codes, PINs) are never logged.
 */
@Component
public class MailDispatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);

	private static final int MAX_ERROR_LENGTH = 1000;

	private final MailOutbox outbox;

	private final JavaMailSender sender;

	private final CertFlowProperties properties;

	private final MailDeliverySettings settings;

	private final Clock clock;

	private volatile ScheduledExecutorService executor;

	MailDispatcher(MailOutbox outbox, JavaMailSender sender, CertFlowProperties properties,
			MailDeliverySettings settings, Clock clock) {
		this.outbox = outbox;
		this.sender = sender;
		this.properties = properties;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Sends a mail soon, in the background; called after the transaction that queued it
	 * has committed. When this node is not running the sweep of the next node (or of this
	 * one after its restart) sends it.
	 * @param mailId the mail
	 */
	void sendSoon(String mailId) {
		ScheduledExecutorService running = this.executor;
		if (running == null) {
			return;
		}
		try {
			running.execute(() -> {
				try {
					send(mailId);
				}
				catch (RuntimeException ex) {
					log.warn("Could not send mail {} now; the next sweep tries again: {}", mailId, ex.toString());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the mail stays PENDING for the next sweep.
		}
	}

	/**
	 * Sends every mail that is due and that no other node is sending, until one fails.
	 * Safe to run on any number of nodes and threads at once: each mail is claimed before
	 * it is sent.
	 * @return how many mails the SMTP server took
	 */
	public int sendDue() {
		int sent = 0;
		List<String> due;
		do {
			due = this.outbox.due(this.clock.instant(), this.settings.batchSize());
			int tried = 0;
			for (String mailId : due) {
				Optional<Boolean> result = send(mailId);
				if (result.isPresent() && !result.get()) {
					// The server is most likely down: the rest wait for the next sweep
					// rather than each wait for a connect timeout now.
					return sent;
				}
				if (result.isPresent()) {
					tried++;
					sent++;
				}
			}
			// A full batch may hide more due mail; stop when this node could claim
			// none (the others are busy with them).
			if (tried == 0) {
				break;
			}
		}
		while (due.size() == this.settings.batchSize());
		return sent;
	}

	/**
	 * Claims one mail and tries to send it.
	 * @return empty when the mail was not claimed (not due, or another node has it),
	 * otherwise whether the SMTP server took it
	 */
	Optional<Boolean> send(String mailId) {
		Instant now = this.clock.instant();
		String claimId = UUID.randomUUID().toString();
		Optional<ClaimedMail> claimed = this.outbox.claim(mailId, claimId, now,
				now.plus(this.settings.claimDuration()));
		if (claimed.isEmpty()) {
			return Optional.empty();
		}
		ClaimedMail mail = claimed.get();
		int attempts = mail.attempts() + 1;
		try {
			transmit(mail);
		}
		catch (MessagingException | RuntimeException ex) {
			attemptFailed(mail, claimId, attempts, ex);
			return Optional.of(false);
		}
		if (!this.outbox.sent(mailId, claimId, attempts, this.clock.instant())) {
			log.warn("Mail {} ({} for request {}) was sent, but its claim had expired meanwhile; the applicant "
					+ "may get it twice", mailId, mail.kind(), mail.requestId());
		}
		else {
			log.info("Mail {} ({} for request {}) sent after {} attempt(s)", mailId, mail.kind(), mail.requestId(),
					attempts);
		}
		return Optional.of(true);
	}

	private void transmit(ClaimedMail mail) throws MessagingException {
		MimeMessage message = this.sender.createMimeMessage();
		MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
		helper.setFrom(this.properties.mail().from());
		helper.setTo(mail.recipient());
		helper.setSubject(mail.subject());
		helper.setText(this.outbox.text(mail), false);
		this.sender.send(message);
	}

	private void attemptFailed(ClaimedMail mail, String claimId, int attempts, Exception ex) {
		Instant now = this.clock.instant();
		String error = describe(ex);
		boolean giveUp = !now.isBefore(mail.pendingSince().plus(this.settings.giveUpAfter()));
		Instant next = giveUp ? null : now.plus(this.settings.retryDelay(attempts));
		if (!this.outbox.attemptFailed(mail.mailId(), claimId, attempts, error, next, now)) {
			return;
		}
		if (giveUp) {
			log.error(
					"Mail {} ({} for request {}) FAILED: not delivered after {} attempts since {}; last error: {}. "
							+ "An RA admin can send it again with POST /api/v1/mail/{}/retry",
					mail.mailId(), mail.kind(), mail.requestId(), attempts, mail.pendingSince(), error, mail.mailId());
		}
		else {
			log.warn("Mail {} ({} for request {}) not sent, attempt {}; next attempt at {}: {}", mail.mailId(),
					mail.kind(), mail.requestId(), attempts, next, error);
		}
	}

	/**
	 * What went wrong, for admins: the deepest cause names the SMTP server's answer or
	 * the network error. Spring's MailSendException keeps the real exception among its
	 * failed messages rather than as its cause.
	 */
	private static String describe(Exception ex) {
		Throwable failure = ex;
		if (ex instanceof MailSendException send && !send.getFailedMessages().isEmpty()) {
			failure = send.getFailedMessages().values().iterator().next();
		}
		StringBuilder text = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (!text.isEmpty()) {
				text.append(" <- ");
			}
			text.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				text.append(": ").append(cause.getMessage().strip());
			}
			if (text.length() >= MAX_ERROR_LENGTH) {
				return text.substring(0, MAX_ERROR_LENGTH);
			}
		}
		return text.toString();
	}

	// --- lifecycle: started once the context is up, stopped before the database closes

	@Override
	public void start() {
		AtomicInteger threads = new AtomicInteger();
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, (runnable) -> {
			Thread thread = new Thread(runnable, "mail-dispatcher-" + threads.incrementAndGet());
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
			// A repeating task that throws is never run again: log and go on.
			log.warn("Mail sweep failed; trying again in {}: {}", this.settings.sweepInterval(), ex.toString());
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
			// A mail being handed to the SMTP server finishes and is recorded;
			// what is left stays PENDING for the next sweep.
			Duration wait = Duration.ofSeconds(30);
			if (!running.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
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
