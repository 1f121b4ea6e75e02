package org.certflow.ca;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/** Opens the CA: loads its keys, or creates the hierarchy on first start. */
public final class CertificateAuthorities {

	private CertificateAuthorities() {
	}

	/**
	 * Opens the CA for issuance only.
	 * @param settings checked settings
	 * @param journal where serials and certificates are recorded
	 * @return the CA
	 * @throws CaConfigurationException when the keys cannot be opened (the message names
	 * the setting)
	 */
	public static CertificateAuthority openOrCreate(CaSettings settings, IssuanceJournal journal) {
		return issuing(settings, journal, Clock.systemUTC());
	}

	/**
	 * Opens the CA with revocation, CRL and OCSP.
	 * @param settings checked settings
	 * @param journal where serials and certificates are recorded
	 * @param registry where certificate status is kept (often the same adapter as the
	 * journal)
	 * @return the CA
	 * @throws CaConfigurationException when the keys cannot be opened (the message names
	 * the setting)
	 */
	public static RevocableCertificateAuthority openOrCreate(CaSettings settings, IssuanceJournal journal,
			RevocationRegistry registry) {
		return managed(settings, journal, registry, Clock.systemUTC());
	}

	static ManagedAuthority managed(CaSettings settings, IssuanceJournal journal, RevocationRegistry registry,
			Clock clock) {
		Objects.requireNonNull(registry, "registry");
		IssuingAuthority issuing = issuing(settings, journal, clock);
		CaKeys keys = issuing.keys();
		return new ManagedAuthority(issuing, registry, new CrlPublisher(keys, registry, settings.crlValidity(), clock),
				new RootCrlPublisher(keys, settings.caDirectory(), registry, settings.crlValidity(), clock),
				new OcspResponder(keys, registry, settings.ocspValidity(), clock), clock);
	}

	static IssuingAuthority issuing(CaSettings settings, IssuanceJournal journal, Clock clock) {
		Objects.requireNonNull(settings, "settings");
		Objects.requireNonNull(journal, "journal");
		SecureRandom random = random();
		CaKeys keys = CaKeyStore.open(settings, random);
		return new IssuingAuthority(settings, keys, new CsrInspector(settings), journal, new CertificateLinter(),
				random, clock);
	}

	/**
	 * DRBG rather than the platform default: on Linux the default reads /dev/urandom
	 * under a global lock for every serial, which concurrent issuance queues on.
	 */
	private static SecureRandom random() {
		try {
			return SecureRandom.getInstance("DRBG");
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

}
