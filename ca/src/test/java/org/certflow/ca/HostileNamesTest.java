package org.certflow.ca;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names an applicant can type: each is either refused by the CA's subject rules with a
 * reason, or signed with a common name that is exactly the name, as one UTF8String (never
 * read as hex DER or split at '=', ',' or '+').
 */
class HostileNamesTest {

	@TempDir
	static Path dataDir;

	static InMemoryIssuanceJournal journal;

	static CertificateAuthority ca;

	static KeyPair ec;

	@BeforeAll
	static void openCa() {
		journal = new InMemoryIssuanceJournal();
		ca = CertificateAuthorities.openOrCreate(TestSupport.settings(dataDir).build(), journal);
		ec = TestSupport.ecKey("secp256r1");
	}

	@AfterAll
	static void leaveForZlint() {
		ZlintInput.collect(journal, ca);
	}

	static Stream<Arguments> acceptedNames() {
		return Stream.of(Arguments.of("#x"), Arguments.of("#Alice"), Arguments.of("#04020101"),
				Arguments.of("Ada = Lovelace"), Arguments.of("Lovelace, Ada"), Arguments.of("Ada + Charles"),
				Arguments.of("Ada \"the Countess\""), Arguments.of("Ada \\ Lovelace"), Arguments.of("Ada; Lovelace"),
				Arguments.of("<Ada>"), Arguments.of("A".repeat(64)), Arguments.of("\u4E00".repeat(64)),
				Arguments.of("Zoë Ünal-Ørsted"), Arguments.of("x\u0301"), Arguments.of("李小龍"), Arguments.of("محمد"));
	}

	static Stream<Arguments> refusedNames() {
		return Stream.of(Arguments.of("", "is empty"), Arguments.of("A".repeat(65), "longer than 64"),
				Arguments.of("\uD83D\uDE00".repeat(40), "longer than 64"),
				Arguments.of("\uD83D\uDE00".repeat(33), "longer than 64"), Arguments.of("  ", "white space"),
				Arguments.of(" Ada", "white space"), Arguments.of("Ada ", "white space"),
				Arguments.of("Ada\nLovelace", "U+000A"), Arguments.of("Ada\u0000", "U+0000"),
				Arguments.of("Ada\u007F", "U+007F"), Arguments.of("Ada \u202EnaciL", "U+202E"),
				Arguments.of("Ada\u200B", "U+200B"), Arguments.of("Ada\u2028Lovelace", "U+2028"),
				Arguments.of("Ada \uD800", "U+D800"), Arguments.of("Ada \uDC00 x", "U+DC00"),
				Arguments.of("Zoe\u0308", "normal form C"), Arguments.of("Ada \uD83D\uDE00", "U+1F600"),
				Arguments.of("\uD83D\uDE00".repeat(32), "Basic Multilingual Plane"),
				Arguments.of("\uD840\uDC00", "Basic Multilingual Plane"));
	}

	@ParameterizedTest
	@MethodSource("acceptedNames")
	void signsTheNameAsTypedAsOneUtf8CommonName(String name) throws Exception {
		SubjectData subject = SubjectData.of(name, "ada@example.org");
		subject.check();
		IssuedCertificate issued = ca.issue(new IssuanceRequest("name-" + Integer.toHexString(name.hashCode()),
				TestSupport.csr(ec), "standard", subject));

		X500Name signed = X500Name.getInstance(issued.certificate().getSubjectX500Principal().getEncoded());
		RDN[] cn = signed.getRDNs(BCStyle.CN);
		assertThat(cn).hasSize(1);
		assertThat(cn[0].isMultiValued()).isFalse();
		ASN1Encodable value = cn[0].getFirst().getValue();
		assertThat(value).isInstanceOf(DERUTF8String.class);
		assertThat(((DERUTF8String) value).getString()).isEqualTo(name);
		assertThat(signed.getRDNs()).hasSize(1);
		// The text an officer sees names the same DN the certificate carries.
		assertThat(subject.distinguishedName()).isEqualTo(signed.toString());
	}

	@org.junit.jupiter.api.Test
	void escapesWhatItShowsSoThatItCanBeStoredAndRead() {
		assertThat(SubjectRules.escaped("CN=Ada \uD83D\uDE00 \u202E\uD800", 80))
			.isEqualTo("CN=Ada \\u{1F600} \\u202E\\uD800");
	}

	@ParameterizedTest
	@MethodSource("refusedNames")
	void refusesNamesThatCannotBeACommonName(String name, String reason) {
		assertThatThrownBy(() -> SubjectData.of(name, "ada@example.org").check())
			.isInstanceOfSatisfying(IssuanceRefusedException.class,
					(e) -> assertThat(e.reason()).isEqualTo(RefusalReason.BAD_SUBJECT))
			.hasMessageContaining(reason);
		assertThatThrownBy(() -> ca.issue(new IssuanceRequest("refused", TestSupport.csr(ec), "standard",
				SubjectData.of(name, "ada@example.org"))))
			.isInstanceOf(IssuanceRefusedException.class)
			.hasMessageContaining(reason);
	}

}
