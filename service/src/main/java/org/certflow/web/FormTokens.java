package org.certflow.web;

import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpSession;

import org.springframework.web.util.WebUtils;

/**
 * One-time tokens for console forms that create something, kept in the user's session: a
 * form sent twice (back and send again, the same page in two tabs, a double click)
 * creates one thing, and the second sending learns what the first made. Each form page
 * gets its own token; a sending claims it before it acts, so of two at the same moment
 * only one goes on.
 */
final class FormTokens implements Serializable {

	private static final long serialVersionUID = 1L;

	private static final String ATTRIBUTE = FormTokens.class.getName();

	/**
	 * Tokens a session keeps; the oldest go first (a form open that long is reloaded).
	 */
	private static final int MAX_TOKENS = 100;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String OPEN = "";

	private static final String SENDING = "\u0000sending";

	private final Map<String, String> states = new LinkedHashMap<>();

	private FormTokens() {
	}

	static FormTokens of(HttpSession session) {
		synchronized (WebUtils.getSessionMutex(session)) {
			FormTokens tokens = (FormTokens) session.getAttribute(ATTRIBUTE);
			if (tokens == null) {
				tokens = new FormTokens();
				session.setAttribute(ATTRIBUTE, tokens);
			}
			return tokens;
		}
	}

	synchronized String issue() {
		byte[] bytes = new byte[18];
		RANDOM.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		if (this.states.size() >= MAX_TOKENS) {
			this.states.remove(this.states.keySet().iterator().next());
		}
		this.states.put(token, OPEN);
		return token;
	}

	/** Takes an open token for one sending; says what became of it otherwise. */
	synchronized Claim claim(String token) {
		String state = (token != null) ? this.states.get(token) : null;
		if (state == null) {
			return new Claim(Outcome.UNKNOWN, null);
		}
		if (OPEN.equals(state)) {
			this.states.put(token, SENDING);
			return new Claim(Outcome.CLAIMED, null);
		}
		if (SENDING.equals(state)) {
			return new Claim(Outcome.SENDING, null);
		}
		return new Claim(Outcome.DONE, state);
	}

	/** The sending made nothing (wrong input): the same form may be sent again. */
	synchronized void release(String token) {
		this.states.replace(token, SENDING, OPEN);
	}

	synchronized void done(String token, String result) {
		this.states.put(token, result);
	}

	enum Outcome {

		/** Yours: go on. */
		CLAIMED,
		/** Another sending of the same form is under way. */
		SENDING,
		/** Sent before; the claim carries what it made. */
		DONE,
		/** Not issued in this session, or forgotten. */
		UNKNOWN

	}

	record Claim(Outcome outcome, String result) {
	}

}
