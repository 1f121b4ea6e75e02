package org.certflow.signer;

import javax.sql.DataSource;

import org.certflow.ca.CaSettings;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.issuance.JdbcIssuanceJournal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The CA with its keys, in the signer only: a password-protected PKCS#12 under
 * {@code certflow.data-dir}/ca (created on first start) or a PKCS#11 token.
 */
@Configuration(proxyBeanMethods = false)
public class CaKeyConfiguration {

	@Bean
	RevocableCertificateAuthority certificateAuthority(CaSettings settings, JdbcIssuanceJournal journal,
			JdbcTemplate jdbc, DataSource dataSource,
			@Value("${" + CaDatabaseBinding.ADOPT_SETTING + ":false}") boolean adoptExistingKeys) {
		return open(settings, journal, jdbc, dataSource, adoptExistingKeys);
	}

	/**
	 * Opens the CA, checked against the database before anything is issued: the database
	 * records which CA it serves (see {@link CaDatabaseBinding}).
	 * @param settings the CA's settings
	 * @param journal the journal and registry on the database
	 * @param jdbc the database
	 * @param dataSource the same database, for the binding's own transaction
	 * @param adoptExistingKeys whether a database with no CA record may take on existing
	 * keys
	 * @return the CA
	 * @throws IllegalStateException when keys and database do not belong together
	 */
	public static RevocableCertificateAuthority open(CaSettings settings, JdbcIssuanceJournal journal,
			JdbcTemplate jdbc, DataSource dataSource, boolean adoptExistingKeys) {
		CaDatabaseBinding binding = new CaDatabaseBinding(jdbc, dataSource);
		boolean createsKeys = binding.checkBeforeOpening(settings);
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, journal, journal);
		String keyStore = (settings.keyStorage() == CaSettings.KeyStorage.PKCS12)
				? settings.caDirectory().resolve(CaDatabaseBinding.KEY_STORE_FILE).toString() : "the PKCS#11 token";
		binding.check(ca.caChain(), createsKeys, adoptExistingKeys, keyStore);
		return ca;
	}

}
