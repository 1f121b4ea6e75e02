package org.certflow.workflow;

import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * An officer's decision that cannot be recorded. It is a form validation failure to the
 * engine, so the engine REST API answers 400 with the message and Tasklist shows it
 * beside the form.
 */
class InvalidDecisionException extends FormFieldValidationException {

	InvalidDecisionException(String field, String message) {
		super(field, message);
	}

}
