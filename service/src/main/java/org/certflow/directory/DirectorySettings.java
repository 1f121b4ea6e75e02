package org.certflow.directory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code certflow.directory}: the LDAP directory certificates are
 * published to (documented in application.yml).
 *
 * @param enabled whether certificates, CA certificates and CRLs are published at all
 * @param url {@code ldap://host:port} or {@code ldaps://host:port}; ignored while the
 * embedded directory runs
 * @param startTls whether a plain {@code ldap://} connection is upgraded with StartTLS
 * before binding
 * @param bindDn the DN CertFlow binds as to write
 * @param bindPassword its password
 * @param trustCertificates optional PEM file of CA certificates trusted for
 * {@code ldaps://} and StartTLS; without it the JVM's trust store
 * @param baseDn the directory's base
 * @param holderDnTemplate DN of a holder's entry; {@code {mail}} and {@code {cn}} stand
 * for a whole attribute value
 * @param holderObjectClasses object classes of a holder's entry CertFlow creates
 * @param caDnTemplate DN of a CA's entry; {@code {cn}} is the CA's common name
 * @param caObjectClasses object classes of a CA entry CertFlow creates
 * @param onRevoke what happens to a revoked certificate, or one whose activation expired
 * uncollected
 * @param connectTimeout how long to wait for a connection
 * @param responseTimeout how long to wait for an answer
 * @param syncInterval how often CA entries, CRL and withdrawals are brought up to date
 * @param embedded the in-memory directory of the embedded default
 */
@Validated
@ConfigurationProperties("certflow.directory")
public record DirectorySettings(boolean enabled, @NotBlank String url, boolean startTls, String bindDn,
		String bindPassword, Path trustCertificates, @NotBlank String baseDn, @NotBlank String holderDnTemplate,
		@NotEmpty List<String> holderObjectClasses, @NotBlank String caDnTemplate,
		@NotEmpty List<String> caObjectClasses, @NotNull OnRevoke onRevoke, @NotNull Duration connectTimeout,
		@NotNull Duration responseTimeout, @NotNull Duration syncInterval, @NotNull @Valid Embedded embedded) {

	public DirectorySettings {
		if (url != null && !url.startsWith("ldap://") && !url.startsWith("ldaps://")) {
			throw new IllegalArgumentException(
					"certflow.directory.url must start with ldap:// or ldaps://, not '" + url + "'");
		}
		if (url != null && url.startsWith("ldaps://") && startTls) {
			throw new IllegalArgumentException(
					"certflow.directory.start-tls=true needs an ldap:// url; ldaps:// is TLS from the start");
		}
		if (syncInterval != null && (syncInterval.isNegative() || syncInterval.isZero())) {
			throw new IllegalArgumentException("certflow.directory.sync-interval must be positive");
		}
		if (holderDnTemplate != null) {
			DirectoryNames.checkTemplate("certflow.directory.holder-dn-template", holderDnTemplate, "mail", "cn");
		}
		if (caDnTemplate != null) {
			DirectoryNames.checkTemplate("certflow.directory.ca-dn-template", caDnTemplate, "cn");
		}
	}

	/** Whether the connection is encrypted before the password is sent. */
	boolean encrypted() {
		return this.url.startsWith("ldaps://") || this.startTls;
	}

	/** What happens to a certificate that is no longer good. */
	public enum OnRevoke {

		/** Its value is removed from the holder's entry. */
		REMOVE,
		/** It stays; relying parties check the CRL or OCSP. */
		KEEP

	}

	/**
	 * The in-memory directory (UnboundID) of the embedded default, bound to the loopback
	 * interface: anyone there may read, only {@code bind-dn} may write.
	 *
	 * @param enabled whether it runs
	 * @param port its port (0: any free one)
	 */
	public record Embedded(boolean enabled, @Min(0) @Max(65535) int port) {
	}

}
