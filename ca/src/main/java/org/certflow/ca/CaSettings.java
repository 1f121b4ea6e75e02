package org.certflow.ca;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Everything the CA needs to start, checked once in {@link Builder#build()}: a CA that
 * starts has a complete, consistent configuration. Each problem is reported as a
 * {@link CaConfigurationException} naming the builder method (= setting) at fault.
 */
public final class CaSettings {

	/** Where the CA keys live. */
	public enum KeyStorage {

		/**
		 * A password-protected PKCS#12 file under {@code <dataDir>/ca}, created on first
		 * start.
		 */
		PKCS12,

		/**
		 * A PKCS#11 token reached through SunPKCS11; keys and CA certificates are put
		 * there by an operator.
		 */
		PKCS11

	}

	private final Path dataDir;

	private final char[] keystorePassword;

	private final String rootSubject;

	private final String issuingSubject;

	private final CaKeyAlgorithm rootKeyAlgorithm;

	private final CaKeyAlgorithm issuingKeyAlgorithm;

	private final Duration rootValidity;

	private final Duration issuingValidity;

	private final String crlUrl;

	private final String rootCrlUrl;

	private final String ocspUrl;

	private final String caIssuersUrl;

	private final String certificatePolicyOid;

	private final Map<String, IssuanceProfile> profiles;

	private final Path keyBlocklistFile;

	private final KeyStorage keyStorage;

	private final Path pkcs11Config;

	private final String pkcs11IssuingAlias;

	private final Duration crlValidity;

	private final Duration ocspValidity;

	private CaSettings(Builder b) {
		this.dataDir = b.dataDir;
		this.keystorePassword = b.keystorePassword.clone();
		this.rootSubject = b.rootSubject;
		this.issuingSubject = b.issuingSubject;
		this.rootKeyAlgorithm = b.rootKeyAlgorithm;
		this.issuingKeyAlgorithm = b.issuingKeyAlgorithm;
		this.rootValidity = b.rootValidity;
		this.issuingValidity = b.issuingValidity;
		this.crlUrl = b.crlUrl;
		this.rootCrlUrl = b.rootCrlUrl;
		this.ocspUrl = b.ocspUrl;
		this.caIssuersUrl = b.caIssuersUrl;
		this.certificatePolicyOid = b.certificatePolicyOid;
		this.profiles = Map.copyOf(b.profiles);
		this.keyBlocklistFile = b.keyBlocklistFile;
		this.keyStorage = b.keyStorage;
		this.pkcs11Config = b.pkcs11Config;
		this.pkcs11IssuingAlias = b.pkcs11IssuingAlias;
		this.crlValidity = b.crlValidity;
		this.ocspValidity = b.ocspValidity;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Path dataDir() {
		return this.dataDir;
	}

	/**
	 * The directory holding the CA's own files.
	 * @return {@code <dataDir>/ca}
	 */
	public Path caDirectory() {
		return this.dataDir.resolve("ca");
	}

	/**
	 * A copy of the key store password (PKCS#11: the user PIN); callers should wipe it
	 * after use.
	 * @return the password
	 */
	public char[] keystorePassword() {
		return this.keystorePassword.clone();
	}

	public String rootSubject() {
		return this.rootSubject;
	}

	public String issuingSubject() {
		return this.issuingSubject;
	}

	public CaKeyAlgorithm rootKeyAlgorithm() {
		return this.rootKeyAlgorithm;
	}

	public CaKeyAlgorithm issuingKeyAlgorithm() {
		return this.issuingKeyAlgorithm;
	}

	public Duration rootValidity() {
		return this.rootValidity;
	}

	public Duration issuingValidity() {
		return this.issuingValidity;
	}

	public String crlUrl() {
		return this.crlUrl;
	}

	/**
	 * Where the root's CRL (ARL) is published. It goes into the issuing CA certificate
	 * only when CertFlow creates the hierarchy; an existing one keeps the certificates it
	 * has.
	 * @return the URL, empty when the issuing CA certificate carries no CRL distribution
	 * point
	 */
	public Optional<String> rootCrlUrl() {
		return Optional.ofNullable(this.rootCrlUrl);
	}

	public String ocspUrl() {
		return this.ocspUrl;
	}

	public String caIssuersUrl() {
		return this.caIssuersUrl;
	}

	public String certificatePolicyOid() {
		return this.certificatePolicyOid;
	}

	public Map<String, IssuanceProfile> profiles() {
		return this.profiles;
	}

	public Optional<IssuanceProfile> profile(String name) {
		return Optional.ofNullable(this.profiles.get(name));
	}

	public Optional<Path> keyBlocklistFile() {
		return Optional.ofNullable(this.keyBlocklistFile);
	}

	public KeyStorage keyStorage() {
		return this.keyStorage;
	}

	public Optional<Path> pkcs11Config() {
		return Optional.ofNullable(this.pkcs11Config);
	}

	public String pkcs11IssuingAlias() {
		return this.pkcs11IssuingAlias;
	}

	public Duration crlValidity() {
		return this.crlValidity;
	}

	public Duration ocspValidity() {
		return this.ocspValidity;
	}

	@Override
	public String toString() {
		// The password is deliberately absent so settings can be logged.
		return "CaSettings[dataDir=" + this.dataDir + ", keyStorage=" + this.keyStorage + ", rootSubject="
				+ this.rootSubject + ", issuingSubject=" + this.issuingSubject + ", profiles=" + this.profiles.keySet()
				+ "]";
	}

	/**
	 * The settings as an operator writes them, one component per setting, so that a
	 * configuration binder (the service binds {@code certflow.ca.*}) can fill it through
	 * its constructor. A {@code null} component keeps the builder's default;
	 * {@link Builder#build()} checks them all. Only the data folder comes from elsewhere.
	 *
	 * @param keystorePassword password of the PKCS#12, or the PIN of the PKCS#11 token
	 * @param crlUrl CRL distribution point written into certificates
	 * @param rootCrlUrl the root's CRL, written into an issuing CA certificate created on
	 * first start (optional)
	 * @param ocspUrl OCSP URL written into certificates
	 * @param caIssuersUrl AIA caIssuers URL written into certificates
	 * @param policyOid certificate policy OID written into certificates
	 * @param keyStorage PKCS12 (default) or PKCS11
	 * @param pkcs11Config SunPKCS11 configuration file, for PKCS11
	 * @param pkcs11IssuingAlias alias of the issuing CA key on the token, for PKCS11
	 * @param keyBlocklistFile file of SPKI SHA-256 hashes (hex, one a line) never to
	 * certify
	 * @param rootSubject subject DN of a root CA created on first start
	 * @param issuingSubject subject DN of an issuing CA created on first start
	 * @param rootKeyAlgorithm key of a root CA created on first start
	 * @param issuingKeyAlgorithm key of an issuing CA created on first start
	 * @param rootValidity validity of a root CA certificate created on first start
	 * @param issuingValidity validity of an issuing CA certificate created on first start
	 * @param crlValidity time from a CRL's thisUpdate to its nextUpdate
	 * @param ocspValidity time from an OCSP response's thisUpdate to its nextUpdate
	 * @param profiles issuance profiles by name (a certificate class names one)
	 */
	public record Values(String keystorePassword, String crlUrl, String rootCrlUrl, String ocspUrl, String caIssuersUrl,
			String policyOid, KeyStorage keyStorage, Path pkcs11Config, String pkcs11IssuingAlias,
			Path keyBlocklistFile, String rootSubject, String issuingSubject, CaKeyAlgorithm rootKeyAlgorithm,
			CaKeyAlgorithm issuingKeyAlgorithm, Duration rootValidity, Duration issuingValidity, Duration crlValidity,
			Duration ocspValidity, Map<String, Profile> profiles) {

		@Override
		public String toString() {
			// The password is deliberately absent so settings can be logged.
			return "CaSettings.Values[crlUrl=" + this.crlUrl + ", ocspUrl=" + this.ocspUrl + ", policyOid="
					+ this.policyOid + ", keyStorage=" + this.keyStorage + "]";
		}

		/**
		 * An issuance profile; its name is the key it is listed under.
		 *
		 * @param validity certificate validity (cut at the issuing CA's own end)
		 * @param extendedKeyUsages EKU OIDs (anyExtendedKeyUsage is refused)
		 * @param allowEd25519 whether subscribers may certify Ed25519 keys
		 * @param smimeValidation the S/MIME BR certificate type (individual, sponsor or
		 * none), which decides the BR policy the certificates assert; unset means
		 * individual
		 */
		public record Profile(Duration validity, List<String> extendedKeyUsages, boolean allowEd25519,
				IssuanceProfile.SmimeValidation smimeValidation) {
		}

	}

	/** Collects settings; {@link #build()} checks them all. */
	public static final class Builder {

		private Path dataDir;

		private char[] keystorePassword;

		// Most significant first, as encoded. Relying parties and linters (zlint's
		// e_ca_country_name_missing) expect a CA to name its country.
		private String rootSubject = "C=DE,O=CertFlow,CN=CertFlow Demo Root CA";

		private String issuingSubject = "C=DE,O=CertFlow,CN=CertFlow Demo Issuing CA";

		private CaKeyAlgorithm rootKeyAlgorithm = CaKeyAlgorithm.EC_P384;

		private CaKeyAlgorithm issuingKeyAlgorithm = CaKeyAlgorithm.EC_P256;

		private Duration rootValidity = Duration.ofDays(20 * 365);

		private Duration issuingValidity = Duration.ofDays(10 * 365);

		private String crlUrl;

		private String rootCrlUrl;

		private String ocspUrl;

		private String caIssuersUrl;

		private String certificatePolicyOid;

		private final Map<String, IssuanceProfile> profiles = new LinkedHashMap<>();

		private Path keyBlocklistFile;

		private KeyStorage keyStorage = KeyStorage.PKCS12;

		private Path pkcs11Config;

		private String pkcs11IssuingAlias = "certflow-issuing";

		private Duration crlValidity = Duration.ofDays(7);

		private Duration ocspValidity = Duration.ofDays(4);

		private Builder() {
		}

		public Builder dataDir(Path dataDir) {
			this.dataDir = dataDir;
			return this;
		}

		public Builder keystorePassword(char[] password) {
			this.keystorePassword = (password != null) ? password.clone() : null;
			return this;
		}

		public Builder rootSubject(String dn) {
			this.rootSubject = dn;
			return this;
		}

		public Builder issuingSubject(String dn) {
			this.issuingSubject = dn;
			return this;
		}

		public Builder rootKeyAlgorithm(CaKeyAlgorithm algorithm) {
			this.rootKeyAlgorithm = algorithm;
			return this;
		}

		public Builder issuingKeyAlgorithm(CaKeyAlgorithm algorithm) {
			this.issuingKeyAlgorithm = algorithm;
			return this;
		}

		public Builder rootValidity(Duration validity) {
			this.rootValidity = validity;
			return this;
		}

		public Builder issuingValidity(Duration validity) {
			this.issuingValidity = validity;
			return this;
		}

		public Builder crlUrl(String url) {
			this.crlUrl = url;
			return this;
		}

		/**
		 * Optional: the URL of the root's CRL, put as CRL distribution point into the
		 * issuing CA certificate of a hierarchy CertFlow creates.
		 * @param url an absolute http(s) URL, or {@code null} for none
		 * @return this builder
		 */
		public Builder rootCrlUrl(String url) {
			this.rootCrlUrl = url;
			return this;
		}

		public Builder ocspUrl(String url) {
			this.ocspUrl = url;
			return this;
		}

		public Builder caIssuersUrl(String url) {
			this.caIssuersUrl = url;
			return this;
		}

		public Builder certificatePolicyOid(String oid) {
			this.certificatePolicyOid = oid;
			return this;
		}

		/**
		 * Adds or replaces a profile. Without any, the CA offers
		 * {@link IssuanceProfile#standard()}.
		 * @param profile the profile
		 * @return this builder
		 */
		public Builder profile(IssuanceProfile profile) {
			this.profiles.put(profile.name(), profile);
			return this;
		}

		public Builder keyBlocklistFile(Path file) {
			this.keyBlocklistFile = file;
			return this;
		}

		public Builder keyStorage(KeyStorage storage) {
			this.keyStorage = storage;
			return this;
		}

		public Builder pkcs11Config(Path config) {
			this.pkcs11Config = config;
			return this;
		}

		public Builder pkcs11IssuingAlias(String alias) {
			this.pkcs11IssuingAlias = alias;
			return this;
		}

		public Builder crlValidity(Duration validity) {
			this.crlValidity = validity;
			return this;
		}

		public Builder ocspValidity(Duration validity) {
			this.ocspValidity = validity;
			return this;
		}

		/**
		 * Takes every setting that {@code values} sets; the others keep their defaults.
		 * The profile settings are checked in {@link #build()}, a missing one named
		 * there.
		 * @param values the settings as written
		 * @return this builder
		 */
		public Builder values(Values values) {
			ifSet(values.keystorePassword(), (password) -> keystorePassword(password.toCharArray()));
			ifSet(values.crlUrl(), this::crlUrl);
			ifSet(values.rootCrlUrl(), this::rootCrlUrl);
			ifSet(values.ocspUrl(), this::ocspUrl);
			ifSet(values.caIssuersUrl(), this::caIssuersUrl);
			ifSet(values.policyOid(), this::certificatePolicyOid);
			ifSet(values.keyStorage(), this::keyStorage);
			ifSet(values.pkcs11Config(), this::pkcs11Config);
			ifSet(values.pkcs11IssuingAlias(), this::pkcs11IssuingAlias);
			ifSet(values.keyBlocklistFile(), this::keyBlocklistFile);
			ifSet(values.rootSubject(), this::rootSubject);
			ifSet(values.issuingSubject(), this::issuingSubject);
			ifSet(values.rootKeyAlgorithm(), this::rootKeyAlgorithm);
			ifSet(values.issuingKeyAlgorithm(), this::issuingKeyAlgorithm);
			ifSet(values.rootValidity(), this::rootValidity);
			ifSet(values.issuingValidity(), this::issuingValidity);
			ifSet(values.crlValidity(), this::crlValidity);
			ifSet(values.ocspValidity(), this::ocspValidity);
			if (values.profiles() != null) {
				values.profiles().forEach((name, p) -> {
					if (p.validity() == null || p.extendedKeyUsages() == null) {
						throw new CaConfigurationException("profile(" + name + ")",
								"needs a validity and extended key usages");
					}
					profile(new IssuanceProfile(name, p.validity(), p.extendedKeyUsages(), p.allowEd25519(),
							(p.smimeValidation() != null) ? p.smimeValidation()
									: IssuanceProfile.SmimeValidation.INDIVIDUAL));
				});
			}
			return this;
		}

		private static <T> void ifSet(T value, Consumer<T> setter) {
			if (value != null) {
				setter.accept(value);
			}
		}

		/**
		 * Checks every setting and freezes them.
		 * @return the settings
		 * @throws CaConfigurationException naming the first setting that is missing or
		 * wrong
		 */
		public CaSettings build() {
			if (this.dataDir == null) {
				throw new CaConfigurationException("dataDir", "is missing");
			}
			if (Files.exists(this.dataDir) && !Files.isDirectory(this.dataDir)) {
				throw new CaConfigurationException("dataDir", this.dataDir + " is not a directory");
			}
			if (this.keystorePassword == null || this.keystorePassword.length == 0) {
				throw new CaConfigurationException("keystorePassword", "is missing");
			}
			if (this.keyStorage == KeyStorage.PKCS12 && this.keystorePassword.length < 8) {
				throw new CaConfigurationException("keystorePassword", "must have at least 8 characters");
			}
			checkDn("rootSubject", this.rootSubject);
			checkDn("issuingSubject", this.issuingSubject);
			if (new X500Name(this.rootSubject).equals(new X500Name(this.issuingSubject))) {
				throw new CaConfigurationException("issuingSubject", "must differ from rootSubject");
			}
			required("rootKeyAlgorithm", this.rootKeyAlgorithm);
			required("issuingKeyAlgorithm", this.issuingKeyAlgorithm);
			checkPositive("rootValidity", this.rootValidity);
			checkPositive("issuingValidity", this.issuingValidity);
			if (this.issuingValidity.compareTo(this.rootValidity) > 0) {
				throw new CaConfigurationException("issuingValidity", "must not exceed rootValidity");
			}
			checkUrl("crlUrl", this.crlUrl);
			if (this.rootCrlUrl != null) {
				checkUrl("rootCrlUrl", this.rootCrlUrl);
			}
			checkUrl("ocspUrl", this.ocspUrl);
			checkUrl("caIssuersUrl", this.caIssuersUrl);
			if (this.certificatePolicyOid == null || this.certificatePolicyOid.isBlank()) {
				throw new CaConfigurationException("certificatePolicyOid", "is missing");
			}
			if (!isOid(this.certificatePolicyOid) || this.certificatePolicyOid.equals("2.5.29.32.0")) {
				throw new CaConfigurationException("certificatePolicyOid",
						"'" + this.certificatePolicyOid + "' is not a specific policy OID");
			}
			if (this.profiles.isEmpty()) {
				this.profiles.put("standard", IssuanceProfile.standard());
			}
			for (IssuanceProfile p : this.profiles.values()) {
				checkProfile(p);
			}
			if (this.keyBlocklistFile != null && !Files.isReadable(this.keyBlocklistFile)) {
				throw new CaConfigurationException("keyBlocklistFile", this.keyBlocklistFile + " is not readable");
			}
			required("keyStorage", this.keyStorage);
			if (this.keyStorage == KeyStorage.PKCS11) {
				if (this.pkcs11Config == null) {
					throw new CaConfigurationException("pkcs11Config", "is missing (required for PKCS11 key storage)");
				}
				if (!Files.isReadable(this.pkcs11Config)) {
					throw new CaConfigurationException("pkcs11Config", this.pkcs11Config + " is not readable");
				}
				if (this.pkcs11IssuingAlias == null || this.pkcs11IssuingAlias.isBlank()) {
					throw new CaConfigurationException("pkcs11IssuingAlias", "is missing");
				}
			}
			checkPositive("crlValidity", this.crlValidity);
			checkPositive("ocspValidity", this.ocspValidity);
			return new CaSettings(this);
		}

		private static void required(String setting, Object value) {
			if (value == null) {
				throw new CaConfigurationException(setting, "is missing");
			}
		}

		private static void checkPositive(String setting, Duration d) {
			required(setting, d);
			if (d.isNegative() || d.isZero()) {
				throw new CaConfigurationException(setting, "must be positive");
			}
		}

		private static void checkDn(String setting, String dn) {
			if (dn == null || dn.isBlank()) {
				throw new CaConfigurationException(setting, "is missing");
			}
			try {
				X500Name name = new X500Name(dn);
				if (name.getRDNs().length == 0) {
					throw new CaConfigurationException(setting, "is empty");
				}
			}
			catch (IllegalArgumentException ex) {
				throw new CaConfigurationException(setting, "'" + dn + "' is not a distinguished name", ex);
			}
		}

		private static void checkUrl(String setting, String url) {
			if (url == null || url.isBlank()) {
				throw new CaConfigurationException(setting, "is missing");
			}
			try {
				URI uri = new URI(url);
				String scheme = uri.getScheme();
				if (!uri.isAbsolute() || uri.getHost() == null
						|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
					throw new CaConfigurationException(setting, "'" + url + "' is not an absolute http(s) URL");
				}
			}
			catch (java.net.URISyntaxException ex) {
				throw new CaConfigurationException(setting, "'" + url + "' is not a URL", ex);
			}
		}

		private static void checkProfile(IssuanceProfile p) {
			String setting = "profile(" + p.name() + ")";
			if (!p.name().matches("[a-z][a-z0-9-]{0,31}")) {
				throw new CaConfigurationException(setting, "name must be lowercase letters, digits and '-'");
			}
			if (p.validity().isNegative() || p.validity().isZero()
					|| p.validity().compareTo(Duration.ofDays(825)) > 0) {
				throw new CaConfigurationException(setting, "validity must be between 1 second and 825 days");
			}
			if (p.extendedKeyUsages().isEmpty()) {
				throw new CaConfigurationException(setting, "needs at least one extended key usage");
			}
			for (String eku : p.extendedKeyUsages()) {
				if (!isOid(eku)) {
					throw new CaConfigurationException(setting, "'" + eku + "' is not an OID");
				}
				if (IssuanceProfile.ANY_EXTENDED_KEY_USAGE.equals(eku)) {
					throw new CaConfigurationException(setting, "anyExtendedKeyUsage is never granted");
				}
			}
			if (new HashSet<>(p.extendedKeyUsages()).size() != p.extendedKeyUsages().size()) {
				throw new CaConfigurationException(setting, "lists an extended key usage twice");
			}
			// A certificate is either a person's or a server's: the two are validated
			// differently, and the S/MIME and TLS Baseline Requirements each forbid the
			// other's purposes in their certificates.
			if (p.tlsServer()) {
				if (!p.extendedKeyUsages().equals(java.util.List.of(IssuanceProfile.SERVER_AUTH))) {
					throw new CaConfigurationException(setting,
							"a TLS server profile grants serverAuth (1.3.6.1.5.5.7.3.1) and nothing else");
				}
				if (p.smimeValidation() != IssuanceProfile.SmimeValidation.NONE) {
					throw new CaConfigurationException(setting, "a TLS server profile needs smime-validation: none");
				}
				if (p.validity().compareTo(IssuanceProfile.MAX_TLS_SERVER_VALIDITY) > 0) {
					throw new CaConfigurationException(setting,
							"a TLS server certificate may be valid for at most 200 days");
				}
			}
		}

		private static boolean isOid(String text) {
			return ASN1ObjectIdentifier.tryFromID(text) != null;
		}

	}

}
