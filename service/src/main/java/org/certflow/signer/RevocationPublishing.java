package org.certflow.signer;

import java.time.Clock;
import java.util.TimeZone;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.revocation.RevocationStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The signer's side of revocation: the publisher that signs CRLs and OCSP responses ahead
 * of time, and the cluster-wide lock (ShedLock on table {@code shedlock}) that lets only
 * one signer run it at a time. Only a context that holds the CA key imports this.
 */
@Configuration(proxyBeanMethods = false)
@EnableSchedulerLock(defaultLockAtMostFor = "PT1M")
public class RevocationPublishing {

	@Bean
	RevocationDataPublisher revocationDataPublisher(RevocableCertificateAuthority ca, JdbcTemplate jdbc, Clock clock) {
		return new RevocationDataPublisher(ca, new RevocationStore(jdbc), clock);
	}

	/**
	 * Lock times in UTC from the JVM clock, the same on H2 and MariaDB; the lock is only
	 * ever held for one run.
	 */
	@Bean
	LockProvider schedulerLockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.withTimeZone(TimeZone.getTimeZone("UTC"))
			.build());
	}

}
