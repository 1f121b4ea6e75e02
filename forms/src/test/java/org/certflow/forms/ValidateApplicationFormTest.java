package org.certflow.forms;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what Tasklist needs to render the form. Its keys are held to the process
 * contract by {@code ValidationFormContractTest} in the processes module, which can use
 * the contract constants; this module cannot depend on processes.
 */
class ValidateApplicationFormTest {

	/** The form-js schema version bundled with the Camunda 7.24 webapps. */
	private static final int TASKLIST_SCHEMA_VERSION = 16;

	@Test
	void formIsADefaultFormJsSchemaThatTasklistRenders() throws IOException {
		JsonNode form = read("validate-application.form");
		assertThat(form.path("id").asText()).isEqualTo("validate-application");
		assertThat(form.path("type").asText()).isEqualTo("default");
		assertThat(form.path("schemaVersion").asInt()).isEqualTo(TASKLIST_SCHEMA_VERSION);
	}

	@Test
	void everyComponentHasAUniqueNamedId() throws IOException {
		Set<String> ids = new HashSet<>();
		for (JsonNode component : read("validate-application.form").path("components")) {
			String id = component.path("id").asText();
			assertThat(id).matches("(Field|Text)_[A-Z][A-Za-z0-9]+");
			assertThat(ids.add(id)).as("unique id %s", id).isTrue();
		}
	}

	private static JsonNode read(String resource) throws IOException {
		try (InputStream in = ValidateApplicationFormTest.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as("%s on the classpath", resource).isNotNull();
			return new ObjectMapper().readTree(in);
		}
	}

}
