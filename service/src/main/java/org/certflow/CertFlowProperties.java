package org.certflow;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;

import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CaSettings;
import org.certflow.ca.IssuanceProfile;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Settings under {@code certflow.*}. Every one has a working default for the embedded
 * mode; {@code certflow.production=true} turns the demo defaults into start-up errors.
 *
 * @param dataDir folder for the H2 database and the CA key store
 * @param publicBaseUrl the address applicants reach, used in mailed links
 * @param production whether this is a production installation (refuses demo settings)
 * @param demoUsers whether to create the demo users admin and officer
 * @param admin the Camunda administrator kept in group camunda-admin
 * @param invitation invitation settings
 * @param activation activation settings
 * @param validation officer validation settings
 * @param signer in-process signer settings
 * @param mail mail settings
 * @param ca CA settings
 */
@Validated
@ConfigurationProperties("certflow")
public record CertFlowProperties(@NotNull Path dataDir, @NotNull URI publicBaseUrl, boolean production,
		boolean demoUsers, @Valid @NotNull Admin admin, @Valid @NotNull Invitation invitation,
		@Valid @NotNull Activation activation, @Valid @NotNull Validation validation, @Valid @NotNull Signer signer,
		@Valid @NotNull Mail mail, @Valid @NotNull Ca ca) {

	public record Admin(@NotBlank String id, @NotBlank String password) {

		@Override
		public String toString() {
			return "Admin[id=" + this.id + ", password=(hidden)]";
		}

	}

	public record Invitation(@NotNull Period validity) {
	}

	public record Activation(@NotNull Period validity, @Min(1) @Max(20) int maxPinAttempts) {
	}

	public record Validation(@NotNull Period deferral) {
	}

	public record Signer(boolean workerEnabled, @NotNull Duration pollInterval, @NotNull Duration lockDuration) {
	}

	public record Mail(@NotBlank String from, @Valid @NotNull Embedded embedded) {

		public record Embedded(boolean enabled, @Min(0) int smtpPort, @Min(0) int imapPort) {
		}

	}

	/**
	 * CA settings. Only the key store password and the URLs are required; everything else
	 * falls back to the CA's defaults (EC P-384 root, EC P-256 issuing CA, PKCS#12 under
	 * the data folder, the {@code standard} profile).
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
	 * @param profiles issuance profiles by name (a certificate class names one)
	 */
	public record Ca(@NotBlank String keystorePassword, @NotNull URI crlUrl, URI rootCrlUrl, @NotNull URI ocspUrl,
			@NotNull URI caIssuersUrl, @NotBlank String policyOid, CaSettings.KeyStorage keyStorage, Path pkcs11Config,
			String pkcs11IssuingAlias, Path keyBlocklistFile, String rootSubject, String issuingSubject,
			CaKeyAlgorithm rootKeyAlgorithm, CaKeyAlgorithm issuingKeyAlgorithm, Map<String, @Valid Profile> profiles) {

		@Override
		public String toString() {
			return "Ca[keystorePassword=(hidden), crlUrl=" + this.crlUrl + ", ocspUrl=" + this.ocspUrl
					+ ", caIssuersUrl=" + this.caIssuersUrl + ", policyOid=" + this.policyOid + ", keyStorage="
					+ this.keyStorage + "]";
		}

		/**
		 * An issuance profile.
		 *
		 * @param validity certificate validity (cut at the issuing CA's own end)
		 * @param extendedKeyUsages EKU OIDs (anyExtendedKeyUsage is refused by the CA)
		 * @param allowEd25519 whether subscribers may certify Ed25519 keys
		 * @param smimeValidation the S/MIME BR certificate type (individual, sponsor or
		 * none), which decides the BR policy the certificates assert; default individual
		 */
		public record Profile(@NotNull Duration validity, @NotEmpty List<String> extendedKeyUsages,
				boolean allowEd25519, IssuanceProfile.SmimeValidation smimeValidation) {
		}

	}

}
