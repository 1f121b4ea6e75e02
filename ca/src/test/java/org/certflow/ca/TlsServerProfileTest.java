package org.certflow.ca;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS server profile: a host's certificate, never a person's, and a person's never a
 * host's.
 */
class TlsServerProfileTest {

	@TempDir
	static Path dataDir;

	static InMemoryIssuanceJournal journal;

	static CertificateAuthority ca;

	@BeforeAll
	static void openCa() {
		journal = new InMemoryIssuanceJournal();
		// The root's CRL URL as the service sets it: the TLS Baseline Requirements (and
		// zlint) want it in an issuing CA that may issue server certificates.
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir)
			.rootCrlUrl("http://ca.example.com/ca/root.crl")
			.profile(IssuanceProfile.standard())
			.profile(IssuanceProfile.tlsServerProfile())
			.build(), journal);
	}

	@AfterAll
	static void leaveForZlint() {
		ZlintInput.collect(journal, ca);
	}

	@Test
	void issuesAServerCertificateNamingOnlyTheHost() throws Exception {
		IssuedCertificate issued = ca.issue(new IssuanceRequest("tls-1",
				TestSupport.csr(TestSupport.ecKey("secp256r1")), "tls-server", SubjectData.host("localhost")));

		X509Certificate cert = issued.certificate();
		assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
		assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
		assertThat(cert.getExtendedKeyUsage()).containsExactly(IssuanceProfile.SERVER_AUTH);
		assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
			.isLessThanOrEqualTo(Duration.ofDays(90));
		// Relying parties that chain EKUs (OpenSSL) need serverAuth in the issuing CA.
		assertThat(ca.caChain().get(0).getExtendedKeyUsage()).contains(IssuanceProfile.SERVER_AUTH);
		TestSupport.pkixValidate(cert, ca.caChain());
		assertThat(journal.findIssuedByRequestId("tls-1")).isPresent();
	}

	@Test
	void refusesAPersonsDataForTheServerProfileAndAHostForAPersonsProfile() {
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("tls-2", TestSupport.csr(TestSupport.ecKey("secp256r1")),
				"tls-server", SubjectData.of("Alice Example", "alice@example.org"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.PROFILE_VIOLATION));
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("tls-3", TestSupport.csr(TestSupport.ecKey("secp256r1")),
				"standard", SubjectData.host("localhost"))))
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.PROFILE_VIOLATION));
		assertThat(journal.findIssuedByRequestId("tls-2")).isEmpty();
		assertThat(journal.findIssuedByRequestId("tls-3")).isEmpty();
	}

	@Test
	void refusesHostNamesThatAreNotPlainLowercaseDnsNames() {
		for (String host : new String[] { "*.example.org", "127.0.0.1", "Localhost", "a..b", "exa mple.org" }) {
			assertThatExceptionOfType(IssuanceRefusedException.class).as(host)
				.isThrownBy(() -> ca.issue(new IssuanceRequest("tls-bad",
						TestSupport.csr(TestSupport.ecKey("secp256r1")), "tls-server", SubjectData.host(host))));
		}
	}

	@Test
	void aServerProfileGrantsServerAuthAloneForAtMost200Days() {
		assertThatExceptionOfType(CaConfigurationException.class)
			.isThrownBy(() -> TestSupport.settings(dataDir.resolve("mixed"))
				.profile(new IssuanceProfile("mixed", Duration.ofDays(90),
						List.of(IssuanceProfile.SERVER_AUTH, IssuanceProfile.EMAIL_PROTECTION), false,
						IssuanceProfile.SmimeValidation.NONE))
				.build());
		assertThatExceptionOfType(CaConfigurationException.class)
			.isThrownBy(() -> TestSupport.settings(dataDir.resolve("long"))
				.profile(new IssuanceProfile("long", Duration.ofDays(201), List.of(IssuanceProfile.SERVER_AUTH), false,
						IssuanceProfile.SmimeValidation.NONE))
				.build());
	}

}
