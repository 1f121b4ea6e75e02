package org.certflow.issuance;

import java.time.Clock;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaConfigurationException;
import org.certflow.ca.CaSettings;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.CsrInspector;
import org.certflow.ca.IssuanceProfile;
import org.certflow.ca.RevocableCertificateAuthority;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The CA as this service reaches it: one issuing port and the CSR inspector the RA checks
 * submissions with. On the embedded default the CA lives in this process with its keys in
 * a password-protected PKCS#12 under {@code certflow.data-dir}/ca; it is created on first
 * start.
 */
@Configuration(proxyBeanMethods = false)
class CaConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	CaSettings caSettings(CertFlowProperties properties) {
		CertFlowProperties.Ca ca = properties.ca();
		try {
			CaSettings.Builder settings = CaSettings.builder()
				.dataDir(properties.dataDir())
				.keystorePassword(ca.keystorePassword().toCharArray())
				.crlUrl(ca.crlUrl().toString())
				.ocspUrl(ca.ocspUrl().toString())
				.caIssuersUrl(ca.caIssuersUrl().toString())
				.certificatePolicyOid(ca.policyOid());
			ifSet(ca.rootCrlUrl(), (url) -> settings.rootCrlUrl(url.toString()));
			ifSet(ca.keyStorage(), settings::keyStorage);
			ifSet(ca.pkcs11Config(), settings::pkcs11Config);
			ifSet(ca.pkcs11IssuingAlias(), settings::pkcs11IssuingAlias);
			ifSet(ca.keyBlocklistFile(), settings::keyBlocklistFile);
			ifSet(ca.rootSubject(), settings::rootSubject);
			ifSet(ca.issuingSubject(), settings::issuingSubject);
			ifSet(ca.rootKeyAlgorithm(), settings::rootKeyAlgorithm);
			ifSet(ca.issuingKeyAlgorithm(), settings::issuingKeyAlgorithm);
			if (ca.profiles() != null) {
				ca.profiles()
					.forEach((name, profile) -> settings.profile(new IssuanceProfile(name, profile.validity(),
							profile.extendedKeyUsages(), profile.allowEd25519(), (profile.smimeValidation() != null)
									? profile.smimeValidation() : IssuanceProfile.SmimeValidation.INDIVIDUAL)));
			}
			return settings.build();
		}
		catch (CaConfigurationException ex) {
			throw new IllegalStateException("certflow.ca settings are wrong: " + ex.getMessage(), ex);
		}
	}

	private static <T> void ifSet(T value, Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

	/**
	 * The CA, checked against the database before anything is issued: the database
	 * records which CA it serves (see {@link CaDatabaseBinding}).
	 */
	@Bean
	RevocableCertificateAuthority certificateAuthority(CaSettings settings, JdbcIssuanceJournal journal,
			JdbcTemplate jdbc, DataSource dataSource,
			@Value("${" + CaDatabaseBinding.ADOPT_SETTING + ":false}") boolean adoptExistingKeys) {
		CaDatabaseBinding binding = new CaDatabaseBinding(jdbc, dataSource);
		boolean createsKeys = binding.checkBeforeOpening(settings);
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal, journal);
		String keyStore = (settings.keyStorage() == CaSettings.KeyStorage.PKCS12)
				? settings.caDirectory().resolve(CaDatabaseBinding.KEY_STORE_FILE).toString() : "the PKCS#11 token";
		binding.check(ca.caChain(), createsKeys, adoptExistingKeys, keyStore);
		return ca;
	}

	@Bean
	CsrInspector csrInspector(CaSettings settings) {
		return new CsrInspector(settings);
	}

}
