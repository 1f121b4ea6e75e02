package org.certflow.security;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.TaskQueryImpl;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractExecuteFilterCmd;
import org.camunda.bpm.engine.impl.cmd.SaveFilterCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.query.Query;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Refuses every query that carries an expression, inside the engine, whatever door it
 * came through (engine REST, the webapps' API, the Java API, a stored filter).
 * <p>
 * The engine's own switch, enableExpressionsInAdhocQueries, checks only the top level of
 * a task query: the parts of {@code orQueries} are evaluated all the same, and an
 * expression runs arbitrary code in this JVM, which holds the CA's keys. So every command
 * the engine executes is looked at before it runs: a query (and each of its or-parts), a
 * filter being saved, and a filter being executed with the query stored in it and the
 * query that extends it. Nothing CertFlow does needs an expression in a query.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class QueryExpressionBan extends AbstractProcessEnginePlugin {

	static final String REFUSAL = "Expressions are not allowed in task or filter queries";

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		configuration.setEnableExpressionsInAdhocQueries(false);
		configuration.setEnableExpressionsInStoredQueries(false);
		// After the engine's own interceptors, so that a command context exists and a
		// stored filter can be read.
		configuration.setCustomPostCommandInterceptorsTxRequired(
				withRefusal(configuration.getCustomPostCommandInterceptorsTxRequired()));
		configuration.setCustomPostCommandInterceptorsTxRequiresNew(
				withRefusal(configuration.getCustomPostCommandInterceptorsTxRequiresNew()));
	}

	private static List<CommandInterceptor> withRefusal(List<CommandInterceptor> interceptors) {
		List<CommandInterceptor> all = (interceptors != null) ? new ArrayList<>(interceptors) : new ArrayList<>();
		all.add(new Refusal());
		return all;
	}

	/** Throws if the query or any of its or-parts carries an expression. */
	static void refuseExpressions(Query<?, ?> query) {
		if (query instanceof AbstractQuery<?, ?> abstractQuery) {
			refuseExpressions(abstractQuery.getExpressions());
		}
		if (query instanceof TaskQueryImpl taskQuery && taskQuery.getQueries() != null) {
			for (TaskQueryImpl part : taskQuery.getQueries()) {
				refuseExpressions(part.getExpressions());
			}
		}
	}

	private static void refuseExpressions(Map<String, String> expressions) {
		if (expressions != null && !expressions.isEmpty()) {
			throw new BadUserRequestException(REFUSAL + " (found in "
					+ String.join(", ", expressions.keySet().stream().sorted().toList()) + ").");
		}
	}

	static final class Refusal extends CommandInterceptor {

		@Override
		public <T> T execute(Command<T> command) {
			if (command instanceof Query<?, ?> query) {
				refuseExpressions(query);
			}
			else if (command instanceof SaveFilterCmd) {
				Filter filter = (Filter) read(SaveFilterCmd.class, "filter", command);
				if (filter != null) {
					refuseExpressions(filter.<Query<?, ?>>getQuery());
				}
			}
			else if (command instanceof AbstractExecuteFilterCmd) {
				refuseExpressions((Query<?, ?>) read(AbstractExecuteFilterCmd.class, "extendingQuery", command));
				// A filter stored before this check existed may still carry one.
				String filterId = (String) read(AbstractExecuteFilterCmd.class, "filterId", command);
				Filter stored = (filterId != null)
						? Context.getCommandContext().getFilterManager().findFilterById(filterId) : null;
				if (stored != null) {
					refuseExpressions(stored.<Query<?, ?>>getQuery());
				}
			}
			return this.next.execute(command);
		}

		// The engine keeps these fields protected and offers no getter; if a later
		// engine renames them, refuse rather than let an unchecked filter through.
		private static Object read(Class<?> type, String name, Object command) {
			try {
				Field field = type.getDeclaredField(name);
				field.setAccessible(true);
				return field.get(command);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				throw new IllegalStateException(
						"Cannot check " + type.getSimpleName() + "." + name + " for expressions; refusing the command",
						ex);
			}
		}

	}

}
