package org.certflow.workflow;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

import org.springframework.stereotype.Component;

/**
 * Lets a refused decision leave the engine as what it is. The engine wraps anything a
 * task listener throws in a plain ProcessEngineException ("Exception while invoking
 * TaskListener"), which the engine REST API answers with 500; unwrapped, the
 * {@link InvalidDecisionException} (a form field validation failure) is answered with 400
 * and its message by both task completion and form submission.
 */
@Component
class DecisionRefusals extends AbstractProcessEnginePlugin {

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<CommandInterceptor> outermost = configuration.getCustomPreCommandInterceptorsTxRequired();
		if (outermost == null) {
			outermost = new ArrayList<>();
			configuration.setCustomPreCommandInterceptorsTxRequired(outermost);
		}
		// Outside the transaction interceptor: the command has been rolled back when the
		// refusal passes here.
		outermost.add(new Unwrapping());
	}

	static final class Unwrapping extends CommandInterceptor {

		@Override
		public <T> T execute(Command<T> command) {
			try {
				return this.next.execute(command);
			}
			catch (ProcessEngineException ex) {
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					if (cause instanceof InvalidDecisionException refusal) {
						throw refusal;
					}
				}
				throw ex;
			}
		}

	}

}
