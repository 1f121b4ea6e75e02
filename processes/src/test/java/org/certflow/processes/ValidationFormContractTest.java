package org.certflow.processes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.certflow.processes.CertificateRequestProcess.Decision;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the officer form to the contract: form-js binds a field to the process variable
 * named by its key, and leaves disabled fields out of the submitted data.
 */
class ValidationFormContractTest {

	private static JsonNode form;

	@BeforeAll
	static void readForm() throws IOException {
		try (InputStream in = ValidationFormContractTest.class.getClassLoader()
			.getResourceAsStream(CertificateRequestProcess.VALIDATION_FORM_RESOURCE)) {
			assertThat(in).as("form on the test classpath").isNotNull();
			form = new ObjectMapper().readTree(in);
		}
	}

	@Test
	void formSubmitsOnlyTheDecisionItsReasonAndADeferralDate() {
		assertThat(keys(false)).containsExactlyInAnyOrderElementsOf(Variable.OFFICER_DECISION);
	}

	@Test
	void deferralDateIsAnOptionalDateShownOnlyForADeferral() {
		JsonNode deferUntil = field(Variable.DEFER_UNTIL);
		assertThat(deferUntil.path("type").asText()).isEqualTo("datetime");
		assertThat(deferUntil.path("subtype").asText()).isEqualTo("date");
		assertThat(deferUntil.path("validate").path("required").asBoolean()).isFalse();
		assertThat(deferUntil.path("conditional").path("hide").asText())
			.isEqualTo("=" + Variable.DECISION + " != \"" + Decision.DEFER.value() + "\"");
	}

	@Test
	void formShowsTheApplicationReadOnly() {
		assertThat(keys(true)).containsExactlyInAnyOrder(Variable.APPLICANT_FULL_NAME, Variable.APPLICANT_EMAIL,
				Variable.CERTIFICATE_CLASS, Variable.SUBJECT_DN, Variable.REQUESTED_SUBJECT, Variable.KEY_DESCRIPTION,
				Variable.PUBLIC_KEY_SHA256, Variable.EARLIER_DECISIONS, Variable.APPLICANT_CONTACT);
	}

	@Test
	void decisionIsRequiredAndOffersExactlyTheContractDecisions() {
		JsonNode decision = field(Variable.DECISION);
		assertThat(decision.path("validate").path("required").asBoolean()).isTrue();
		List<String> values = new ArrayList<>();
		decision.path("values").forEach((option) -> values.add(option.path("value").asText()));
		assertThat(values).containsExactly(Decision.APPROVE.value(), Decision.REJECT.value(), Decision.DEFER.value());
	}

	@Test
	void reasonIsOptionalInTheFormBecauseOnlyRejectAndDeferNeedIt() {
		assertThat(field(Variable.DECISION_REASON).path("validate").path("required").asBoolean()).isFalse();
	}

	private static List<String> keys(boolean disabled) {
		List<String> keys = new ArrayList<>();
		form.path("components").forEach((component) -> {
			if (component.hasNonNull("key") && component.path("disabled").asBoolean() == disabled) {
				keys.add(component.get("key").asText());
			}
		});
		return keys;
	}

	private static JsonNode field(String key) {
		for (JsonNode component : form.path("components")) {
			if (key.equals(component.path("key").asText())) {
				return component;
			}
		}
		throw new AssertionError("no field with key " + key);
	}

}
