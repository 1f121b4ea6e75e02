package org.certflow.request;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The facts CertFlow computes for the approval policy table, and the phone it reads. */
class ApprovalPolicyFactsTest {

	@Test
	void mailboxDomainMustBeExactlyOneOfTheListedDomains() {
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@example.org", "example.org")).isTrue();
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@EXAMPLE.org", " other.example , Example.org")).isTrue();
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@mail.example.org", "example.org")).isFalse();
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@badexample.org", "example.org")).isFalse();
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@example.org.evil", "example.org")).isFalse();
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@example.org", null)).isFalse();
		assertThat(ApplyApprovalPolicy.domainAllowed("ada@example.org", ",,")).isFalse();
	}

	@Test
	void phoneIsOptionalAndReadableWhenGiven() {
		assertThat(ApplicantData.phone(null)).isNull();
		assertThat(ApplicantData.phone("  ")).isNull();
		assertThat(ApplicantData.phone(" +41 44 123 45 67 ")).isEqualTo("+41 44 123 45 67");
		for (String wrong : new String[] { "call me", "+41 44 <script>", "12", "+1234567890123456789",
				"+41\n44 123 45 67" }) {
			assertThatExceptionOfType(RequestException.class).as(wrong)
				.isThrownBy(() -> ApplicantData.phone(wrong))
				.withMessageContaining("Phone number must be")
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(RequestException.Kind.INVALID));
		}
	}

}
