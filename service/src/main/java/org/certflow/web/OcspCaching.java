package org.certflow.web;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletResponse;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP caching for OCSP answers (RFC 5019 section 6): a GET answer carries Last-Modified
 * (thisUpdate), Expires (nextUpdate), an ETag and a max-age no later than nextUpdate and
 * no longer than {@code certflow.ocsp.http-max-age}, so a CDN in front of the responder
 * learns of a revocation within that time; error answers and POST are never cached.
 *
 * <p>
 * The dates are read from each stored response once: the publication cache hands out the
 * same array until it reloads, and this cache is keyed by that array's identity. The same
 * reading notices a response served past its nextUpdate, which means the signer has not
 * refreshed it: relying parties reject such a response, so RA admins need to know, once a
 * minute at most.
 */
final class OcspCaching {

	private static final Logger log = LoggerFactory.getLogger(OcspCaching.class);

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

	private static final Duration STALE_WARNING_EVERY = Duration.ofMinutes(1);

	private static final Dates UNCACHEABLE = new Dates(null, null, null);

	// Weak keys compare by identity, which is what is wanted here.
	private final Cache<byte[], Dates> dates = Caffeine.newBuilder()
		.weakKeys()
		.maximumSize(200_000)
		.expireAfterAccess(Duration.ofMinutes(5))
		.build();

	private final Duration maxAge;

	private final Clock clock;

	private final AtomicLong lastStaleWarning = new AtomicLong(Long.MIN_VALUE);

	OcspCaching(Duration maxAge, Clock clock) {
		this.maxAge = maxAge;
		this.clock = clock;
	}

	/**
	 * Sets the caching headers for an answer about to be written.
	 * @param answer the DER OCSPResponse
	 * @param response the HTTP response
	 * @param cacheable whether the request was a GET (RFC 5019 allows caching only those)
	 */
	void apply(byte[] answer, HttpServletResponse response, boolean cacheable) {
		Dates dates = this.dates.get(answer, OcspCaching::read);
		Instant now = this.clock.instant();
		if (dates.nextUpdate() != null && !now.isBefore(dates.nextUpdate())) {
			warnStale(dates, now);
		}
		if (!cacheable || dates == UNCACHEABLE || !now.isBefore(dates.nextUpdate())) {
			response.setHeader("Cache-Control", "no-store");
			return;
		}
		Duration untilNext = Duration.between(now, dates.nextUpdate());
		long maxAge = Math.max(0, ((untilNext.compareTo(this.maxAge) < 0) ? untilNext : this.maxAge).toSeconds());
		response.setHeader("Cache-Control", "max-age=" + maxAge + ", public, no-transform, must-revalidate");
		response.setHeader("Last-Modified", HTTP_DATE.format(dates.thisUpdate()));
		response.setHeader("Expires", HTTP_DATE.format(now.plusSeconds(maxAge)));
		response.setHeader("ETag", dates.etag());
	}

	private void warnStale(Dates dates, Instant now) {
		long last = this.lastStaleWarning.get();
		long nowMillis = now.toEpochMilli();
		if (nowMillis - last >= STALE_WARNING_EVERY.toMillis()
				&& this.lastStaleWarning.compareAndSet(last, nowMillis)) {
			log.warn(
					"Serving an OCSP response whose nextUpdate ({}) has passed: the signer has not refreshed "
							+ "revocation data; relying parties will reject it. Check that a signer is running.",
					dates.nextUpdate());
		}
	}

	private static Dates read(byte[] answer) {
		try {
			OCSPResp ocsp = new OCSPResp(answer);
			if (ocsp.getStatus() != OCSPResp.SUCCESSFUL || !(ocsp.getResponseObject() instanceof BasicOCSPResp basic)) {
				return UNCACHEABLE;
			}
			SingleResp single = basic.getResponses()[0];
			if (single.getNextUpdate() == null) {
				return UNCACHEABLE;
			}
			return new Dates(single.getThisUpdate().toInstant(), single.getNextUpdate().toInstant(), etag(answer));
		}
		catch (IOException | OCSPException | RuntimeException ex) {
			return UNCACHEABLE;
		}
	}

	private static String etag(byte[] answer) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(answer);
			return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Dates(Instant thisUpdate, Instant nextUpdate, String etag) {
	}

}
