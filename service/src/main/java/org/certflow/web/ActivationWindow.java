package org.certflow.web;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;
import org.certflow.request.KeySource;

/**
 * What a successful activation leaves in the applicant's browser session: which request
 * was collected, how its key is installed, and until when the success page may offer the
 * downloads again. Only this session sees it, and only for {@link #LENGTH}: the
 * activation code itself is spent at the first right PIN.
 */
final class ActivationWindow {

	/** How long the success page offers the downloads again. */
	static final Duration LENGTH = Duration.ofMinutes(15);

	private static final String ATTRIBUTE = ActivationWindow.class.getName();

	private ActivationWindow() {
	}

	static void open(HttpSession session, String requestId, KeySource keySource, String chainPem, Clock clock) {
		// A new session id after the PIN: whatever id a page had before it cannot be
		// fixed to reach the downloads.
		session.setAttribute(ATTRIBUTE, new Collected(requestId, keySource, chainPem, clock.instant().plus(LENGTH)));
	}

	static Optional<Collected> current(HttpSession session, Clock clock) {
		if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof Collected collected)) {
			return Optional.empty();
		}
		if (!clock.instant().isBefore(collected.until())) {
			session.removeAttribute(ATTRIBUTE);
			return Optional.empty();
		}
		return Optional.of(collected);
	}

	/**
	 * A collected certificate, as the session keeps it.
	 *
	 * @param requestId the request
	 * @param keySource where its key was made
	 * @param chainPem the chain in PEM, leaf first
	 * @param until when the downloads stop being offered
	 */
	record Collected(String requestId, KeySource keySource, String chainPem, Instant until) implements Serializable {
	}

}
