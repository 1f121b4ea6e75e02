package org.certflow.issuance;

import java.time.Clock;
import java.util.Locale;

import javax.sql.DataSource;

import org.certflow.CertFlowProperties;
import org.certflow.ca.CaConfigurationException;
import org.certflow.ca.CaSettings;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.CsrInspector;
import org.certflow.ca.RevocableCertificateAuthority;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The CA's settings, which RA nodes and signers share, and the CSR inspector the RA
 * checks submissions with. None of it opens the key store: the CA itself is opened only
 * by the signer ({@code org.certflow.signer.CaKeyConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class CaConfiguration {

	static final String PREFIX = "certflow.ca";

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * {@code certflow.ca.*} bound through the constructor of the CA's own record, so each
	 * setting is defined once, in ca/. A value of the wrong type stops start-up with
	 * Boot's message naming the property.
	 */
	@Bean
	CaSettings.Values caSettingsValues(Environment environment) {
		return Binder.get(environment).bindOrCreate(PREFIX, CaSettings.Values.class);
	}

	@Bean
	public CaSettings caSettings(CertFlowProperties properties, CaSettings.Values values) {
		try {
			return CaSettings.builder().dataDir(properties.dataDir()).values(values).build();
		}
		catch (CaConfigurationException ex) {
			throw new IllegalStateException("CA setting " + propertyName(ex.setting()) + " is wrong: " + ex.problem(),
					ex);
		}
	}

	/** The property an operator sets for a {@link CaSettings.Builder} setting. */
	static String propertyName(String setting) {
		if (setting.equals("dataDir")) {
			return "certflow.data-dir";
		}
		if (setting.equals("certificatePolicyOid")) {
			return PREFIX + ".policy-oid";
		}
		if (setting.startsWith("profile(") && setting.endsWith(")")) {
			return PREFIX + ".profiles." + setting.substring("profile(".length(), setting.length() - 1);
		}
		return PREFIX + "." + setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	@Bean
	CsrInspector csrInspector(CaSettings settings) {
		return new CsrInspector(settings);
	}

}
