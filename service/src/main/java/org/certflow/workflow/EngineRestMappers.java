package org.certflow.workflow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.MissingAuthorization;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.errorcode.BuiltinExceptionCode;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;

import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Extra exception mappers for the engine REST API. The engine reports an id that names
 * nothing (a process instance, an execution, a task) as a NullValueException, which the
 * REST layer answers with 500 although the client is at fault.
 */
@Configuration(proxyBeanMethods = false)
class EngineRestMappers {

	@Bean
	ResourceConfigCustomizer unknownIdsAreNotFound() {
		return (config) -> config.register(UnknownIdMapper.class);
	}

	@Bean
	ResourceConfigCustomizer concurrentChangesAreConflicts() {
		return (config) -> config.register(ConcurrentChangeMapper.class);
	}

	@Bean
	ResourceConfigCustomizer vanishedTasksAreNotFound(TaskService tasks) {
		return (config) -> config.register(new VanishedTaskMapper(tasks));
	}

	/**
	 * The loser of two officers completing one task at once may find the task's own
	 * permissions already deleted with the task by the winner, and hear 403 for a task it
	 * could work on a moment ago. When the task named in the refusal no longer exists,
	 * 404 tells the truth: it was completed already. Every other refusal is answered as
	 * the engine would.
	 */
	@Priority(Priorities.USER - 100)
	static final class VanishedTaskMapper implements ExceptionMapper<AuthorizationException> {

		private final TaskService tasks;

		VanishedTaskMapper(TaskService tasks) {
			this.tasks = tasks;
		}

		@Override
		public Response toResponse(AuthorizationException ex) {
			for (MissingAuthorization missing : ex.getMissingAuthorizations()) {
				String taskId = missing.getResourceId();
				if (Resources.TASK.resourceName().equals(missing.getResourceType()) && taskId != null
						&& !Authorization.ANY.equals(taskId)
						&& this.tasks.createTaskQuery().taskId(taskId).count() == 0) {
					Map<String, Object> body = new LinkedHashMap<>();
					body.put("type", "NotFoundException");
					body.put("message", "There is no task " + taskId
							+ "; it may have been completed already or you may not see it.");
					return Response.status(Response.Status.NOT_FOUND)
						.type(MediaType.APPLICATION_JSON_TYPE)
						.entity(body)
						.build();
				}
			}
			return ExceptionHandlerHelper.getInstance().getResponse(ex);
		}

	}

	/**
	 * Two officers completing the same task at once: the engine lets one win and the
	 * other fail on its optimistic lock (on MySQL/MariaDB sometimes on a deadlock the
	 * database resolves by rolling the loser back), which the REST layer wraps as a 500.
	 * The loser did nothing wrong and nothing of theirs was stored: 409 says so. A loser
	 * that finds the task already gone hears 404. Every other RestException is answered
	 * as the engine would.
	 */
	@Priority(Priorities.USER - 100)
	static final class ConcurrentChangeMapper implements ExceptionMapper<RestException> {

		@Override
		public Response toResponse(RestException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof NullValueException) {
					// The task was completed (and deleted) by the other officer between
					// this request's checks and its completion.
					Map<String, Object> body = new LinkedHashMap<>();
					body.put("type", "NotFoundException");
					body.put("message",
							"The task is gone; it may have been completed already. Nothing of yours " + "was stored.");
					return Response.status(Response.Status.NOT_FOUND)
						.type(MediaType.APPLICATION_JSON_TYPE)
						.entity(body)
						.build();
				}
				if (cause instanceof OptimisticLockingException || (cause instanceof ProcessEngineException engine
						&& engine.getCode() == BuiltinExceptionCode.DEADLOCK.getCode())) {
					Map<String, Object> body = new LinkedHashMap<>();
					body.put("type", "OptimisticLockingException");
					body.put("message", "Someone changed this task at the same time, and their change was kept; "
							+ "nothing of yours was stored. Reload the task: it may have been decided already.");
					return Response.status(Response.Status.CONFLICT)
						.type(MediaType.APPLICATION_JSON_TYPE)
						.entity(body)
						.build();
				}
			}
			return ExceptionHandlerHelper.getInstance().getResponse(ex);
		}

	}

	/**
	 * More specific than the engine's mapper for all ProcessEngineExceptions, so Jersey
	 * picks this one.
	 */
	static final class UnknownIdMapper implements ExceptionMapper<NullValueException> {

		@Override
		public Response toResponse(NullValueException ex) {
			String message = String.valueOf(ex.getMessage());
			String lower = message.toLowerCase(Locale.ROOT);
			boolean unknown = lower.contains("doesn't exist") || lower.contains("cannot find")
					|| lower.contains("not found");
			Response.Status status = unknown ? Response.Status.NOT_FOUND : Response.Status.BAD_REQUEST;
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("type", unknown ? "NotFoundException" : "InvalidRequestException");
			body.put("message", message);
			return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
		}

	}

}
