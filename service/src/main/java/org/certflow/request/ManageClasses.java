package org.certflow.request;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.persistence.EntityManager;
import org.certflow.ca.CsrInspector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.certflow.support.RetriedOnLockConflict;

import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: RA admins list, create, change and retire certificate classes. Every field is
 * checked here against the tokens V12 documents and the profiles the CA knows; a change
 * names the version it was based on, and a change based on an older version is refused
 * (optimistic locking on the class's version column). A class change never touches
 * requests already made; a retired class takes no new ones.
 */
@Service
@RetriedOnLockConflict
public class ManageClasses {

	/** Key sources a class may allow (V12). */
	public static final Set<String> KEY_SOURCES = Set.of("BROWSER", "CSR", "SERVER");

	/** Key algorithms a class may allow: what the CA's key policy accepts. */
	public static final Set<String> KEY_ALGORITHMS = Set.of("RSA-2048", "RSA-3072", "RSA-4096", "EC-P256", "EC-P384",
			"EC-P521", "ED25519");

	/** Distribution methods a class may allow (V12). */
	public static final Set<String> DISTRIBUTION_METHODS = Set.of("WEB_PICKUP", "P12_MAIL", "TOKEN");

	/** The longest validity a class may give, in days (CA/B Forum's old TLS limit). */
	public static final int MAX_VALIDITY_DAYS = 825;

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,63}");

	private static final Pattern DOMAIN = Pattern
		.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

	private static final Pattern BILLING_CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Logger log = LoggerFactory.getLogger(ManageClasses.class);

	private final CertificateClasses classes;

	private final CsrInspector inspector;

	private final EntityManager entityManager;

	private final Clock clock;

	ManageClasses(CertificateClasses classes, CsrInspector inspector, EntityManager entityManager, Clock clock) {
		this.classes = classes;
		this.inspector = inspector;
		this.entityManager = entityManager;
		this.clock = clock;
	}

	/**
	 * @return every class, retired ones included, by name
	 */
	@Transactional(readOnly = true)
	public List<CertificateClass> list() {
		return this.classes.findAll(Sort.by("name"));
	}

	/**
	 * @return the issuance profiles a class may name: those the CA knows, by name
	 */
	public Set<String> issuanceProfiles() {
		return this.inspector.profileNames();
	}

	/**
	 * @param name the class name
	 * @return the class
	 * @throws RequestException NOT_FOUND
	 */
	@Transactional(readOnly = true)
	public CertificateClass get(String name) {
		return find(name);
	}

	/**
	 * Creates a class.
	 * @param input the class as entered
	 * @param by the RA admin
	 * @return the new class
	 * @throws RequestException INVALID naming the wrong field, CONFLICT when the name is
	 * taken
	 */
	@Transactional
	public CertificateClass create(Input input, String by) {
		String name = (input.name() != null) ? input.name().strip() : null;
		if (name == null || !NAME.matcher(name).matches()) {
			throw invalid("name must be 2 to 64 characters: lowercase letters, digits and '-', starting with a "
					+ "letter (such as 'code-signing'), not '" + input.name() + "'.");
		}
		Settings settings = settings(input);
		if (this.classes.existsById(name)) {
			throw new RequestException(RequestException.Kind.CONFLICT,
					"A certificate class named '" + name + "' exists already. Change it with PUT instead.");
		}
		CertificateClass created = new CertificateClass(name, settings.displayName(), settings.issuanceProfile(),
				settings.issueImmediately());
		created.change(settings);
		// persist, never merge: a twin created a moment ago must make this fail on the
		// primary key, not be overwritten.
		this.entityManager.persist(created);
		this.classes.flush();
		log.info("Certificate class {} created by {}", name, by);
		return created;
	}

	/**
	 * Changes a class.
	 * @param name the class
	 * @param basedOnVersion the version the admin read (If-Match or the version field)
	 * @param input the new settings, all of them
	 * @param by the RA admin
	 * @return the class after the change
	 * @throws RequestException VERSION_REQUIRED without a version, STALE when the class
	 * changed since
	 */
	@Transactional
	public CertificateClass change(String name, Long basedOnVersion, Input input, String by) {
		CertificateClass cls = find(name);
		if (input.name() != null && !input.name().strip().equals(name)) {
			throw invalid("name cannot be changed (requests refer to the class by name); create a new class and "
					+ "retire this one.");
		}
		if (basedOnVersion == null) {
			throw new RequestException(RequestException.Kind.VERSION_REQUIRED,
					"Say which version of class '" + name + "' this change is based on: send the ETag from GET as "
							+ "If-Match, or a version field. The current version is " + cls.getVersion() + ".");
		}
		Settings settings = settings(input);
		if (basedOnVersion != cls.getVersion()) {
			throw new RequestException(RequestException.Kind.STALE,
					"Class '" + name + "' was changed since version " + basedOnVersion + " (it is now version "
							+ cls.getVersion() + "). Read it again and apply your change to what it is now.");
		}
		cls.change(settings);
		// Flushed here so that a change committed meanwhile fails on the version column.
		this.classes.flush();
		log.info("Certificate class {} changed by {}", name, by);
		return cls;
	}

	/**
	 * Retires a class: it takes no new invitations or requests; requests made earlier go
	 * on with it.
	 * @param name the class
	 * @param by the RA admin
	 * @return the class
	 * @throws RequestException CONFLICT when already retired
	 */
	@Transactional
	public CertificateClass retire(String name, String by) {
		CertificateClass cls = find(name);
		if (cls.getRetiredAt() != null) {
			throw new RequestException(RequestException.Kind.CONFLICT,
					"Class '" + name + "' was already retired at " + cls.getRetiredAt() + ".");
		}
		cls.retire(this.clock.instant());
		this.classes.flush();
		log.info("Certificate class {} retired by {}", name, by);
		return cls;
	}

	private CertificateClass find(String name) {
		return this.classes.findById((name != null) ? name : "")
			.orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND,
					"There is no certificate class named '" + name + "'."));
	}

	private Settings settings(Input input) {
		String displayName = text("displayName", input.displayName(), 200, true);
		String description = text("description", input.description(), 1000, false);
		String profile = text("issuanceProfile", input.issuanceProfile(), 64, true);
		Set<String> profiles = this.inspector.profileNames();
		if (!profiles.contains(profile)) {
			throw invalid("issuanceProfile '" + profile + "' is not a profile this CA knows. Known: " + profiles + ".");
		}
		List<String> domains = (input.allowedDomains() != null) ? input.allowedDomains() : List.of();
		Set<String> allowedDomains = new LinkedHashSet<>();
		for (String domain : domains) {
			String d = (domain != null) ? domain.strip().toLowerCase(Locale.ROOT) : "";
			if (!DOMAIN.matcher(d).matches()) {
				throw invalid("allowedDomains: '" + domain + "' is not a mailbox domain such as example.org.");
			}
			allowedDomains.add(d);
		}
		String domainList = allowedDomains.isEmpty() ? null : String.join(",", allowedDomains);
		if (domainList != null && domainList.length() > 2000) {
			throw invalid("allowedDomains is too long: at most 2000 characters in all.");
		}
		String keySources = tokens("keySources", input.keySources(), KEY_SOURCES, "BROWSER,CSR");
		String keyAlgorithms = tokens("keyAlgorithms", input.keyAlgorithms(), KEY_ALGORITHMS,
				"RSA-2048,RSA-3072,EC-P256");
		String distribution = tokens("distributionMethods", input.distributionMethods(), DISTRIBUTION_METHODS,
				"WEB_PICKUP");
		int validityDays = (input.validityDays() != null) ? input.validityDays() : 365;
		if (validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
			throw invalid("validityDays must be from 1 to " + MAX_VALIDITY_DAYS + ", not " + validityDays + ".");
		}
		String defaultDistribution = (input.defaultDistribution() != null)
				? input.defaultDistribution().strip().toUpperCase(Locale.ROOT) : "WEB_PICKUP";
		if (!List.of(distribution.split(",")).contains(defaultDistribution)) {
			throw invalid("defaultDistribution '" + input.defaultDistribution()
					+ "' must be one of the class's distributionMethods " + List.of(distribution.split(",")) + ".");
		}
		String billingCode = text("billingCode", input.billingCode(), 64, false);
		if (billingCode != null && !BILLING_CODE.matcher(billingCode).matches()) {
			throw invalid("billingCode may hold letters, digits and ._- only, not '" + billingCode + "'.");
		}
		String escalation = text("escalationAfter", input.escalationAfter(), 32, false);
		if (escalation != null) {
			try {
				Duration after = Duration.parse(escalation);
				if (after.isNegative() || after.isZero()) {
					throw invalid("escalationAfter must be a positive duration, not " + escalation + ".");
				}
				escalation = after.toString();
			}
			catch (DateTimeParseException ex) {
				throw invalid(
						"escalationAfter must be an ISO-8601 duration such as PT8H or P2D, not '" + escalation + "'.");
			}
		}
		return new Settings(displayName, description, profile, bool(input.issueImmediately(), true), domainList,
				bool(input.phoneRequired(), false), bool(input.pinRequired(), false), keySources, keyAlgorithms,
				validityDays, distribution, defaultDistribution, billingCode, escalation);
	}

	private static boolean bool(Boolean value, boolean absent) {
		return (value != null) ? value : absent;
	}

	private static String text(String field, String value, int maxLength, boolean required) {
		if (value == null || value.isBlank()) {
			if (required) {
				throw invalid(field + " is required.");
			}
			return null;
		}
		String text = value.strip();
		if (text.length() > maxLength) {
			throw invalid(field + " is " + text.length() + " characters long; at most " + maxLength + " are allowed.");
		}
		if (text.chars().anyMatch((c) -> Character.isISOControl(c))) {
			throw invalid(field + " contains control characters; send plain text on one line.");
		}
		return text;
	}

	private static String tokens(String field, List<String> values, Set<String> allowed, String absent) {
		if (values == null) {
			return absent;
		}
		Set<String> chosen = new LinkedHashSet<>();
		for (String value : values) {
			String token = (value != null) ? value.strip().toUpperCase(Locale.ROOT) : "";
			if (!allowed.contains(token)) {
				throw invalid(field + ": '" + value + "' is not one of " + new java.util.TreeSet<>(allowed) + ".");
			}
			chosen.add(token);
		}
		if (chosen.isEmpty()) {
			throw invalid(field + " must name at least one of " + new java.util.TreeSet<>(allowed) + ".");
		}
		return String.join(",", chosen);
	}

	private static RequestException invalid(String message) {
		return new RequestException(RequestException.Kind.INVALID, message);
	}

	/**
	 * A class as an RA admin sends it. Lists are JSON arrays; absent fields take the
	 * defaults of V12.
	 *
	 * @param name the class name (create only; on change it must be absent or equal)
	 * @param displayName the name people see
	 * @param description what the class is for
	 * @param issuanceProfile the CA profile
	 * @param issueImmediately sign on approval (true) or in the scheduled batch
	 * @param allowedDomains mailbox domains the policy may approve alone
	 * @param phoneRequired whether applicants must give a phone number
	 * @param pinRequired whether applicants must give a PIN
	 * @param keySources BROWSER, CSR, SERVER
	 * @param keyAlgorithms RSA-2048, RSA-3072, RSA-4096, EC-P256, EC-P384, EC-P521,
	 * ED25519
	 * @param validityDays 1 to 825
	 * @param distributionMethods WEB_PICKUP, P12_MAIL, TOKEN
	 * @param defaultDistribution one of distributionMethods
	 * @param billingCode price code for billing
	 * @param escalationAfter ISO-8601 duration, such as PT8H
	 * @param version the version a change is based on (instead of If-Match)
	 */
	public record Input(String name, String displayName, String description, String issuanceProfile,
			Boolean issueImmediately, List<String> allowedDomains, Boolean phoneRequired, Boolean pinRequired,
			List<String> keySources, List<String> keyAlgorithms, Integer validityDays, List<String> distributionMethods,
			String defaultDistribution, String billingCode, String escalationAfter, Long version) {
	}

	/** Checked settings, as stored. */
	record Settings(String displayName, String description, String issuanceProfile, boolean issueImmediately,
			String allowedDomains, boolean phoneRequired, boolean pinRequired, String keySources, String keyAlgorithms,
			int validityDays, String distributionMethods, String defaultDistribution, String billingCode,
			String escalationAfter) {
	}

}
