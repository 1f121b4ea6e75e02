package org.certflow.workflow;

import java.util.List;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.MissingAuthorization;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.task.TaskQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** What the loser of two completions of one task hears from the engine REST API. */
class EngineRestMappersTest {

	private static final String TASK_ID = "7f1c2d3e-0000-4000-8000-000000000001";

	@Test
	void aRefusalOnATaskThatWasJustCompletedIsNotFound() {
		assertThat(vanishedTaskMapper(0).toResponse(refusalOnTask()).getStatus()).isEqualTo(404);
	}

	@Test
	void aRefusalOnATaskThatStillExistsStaysForbidden() {
		assertThat(vanishedTaskMapper(1).toResponse(refusalOnTask()).getStatus()).isEqualTo(403);
	}

	@Test
	void anOptimisticLockBehindACompletionIsAConflict() {
		RestException lost = new RestException(jakarta.ws.rs.core.Response.Status.INTERNAL_SERVER_ERROR,
				new OptimisticLockingException("updated by another transaction concurrently"), "Cannot complete task");
		RestException other = new RestException(jakarta.ws.rs.core.Response.Status.BAD_REQUEST, "bad");

		assertThat(new EngineRestMappers.ConcurrentChangeMapper().toResponse(lost).getStatus()).isEqualTo(409);
		assertThat(new EngineRestMappers.ConcurrentChangeMapper().toResponse(other).getStatus()).isEqualTo(400);
	}

	@Test
	void aCompletionWhoseTaskWasDeletedUnderItIsNotFound() {
		RestException gone = new RestException(jakarta.ws.rs.core.Response.Status.INTERNAL_SERVER_ERROR,
				new org.camunda.bpm.engine.exception.NullValueException(
						"Cannot find task with id " + TASK_ID + ": task is null"),
				"Cannot complete task " + TASK_ID);

		assertThat(new EngineRestMappers.ConcurrentChangeMapper().toResponse(gone).getStatus()).isEqualTo(404);
	}

	private static EngineRestMappers.VanishedTaskMapper vanishedTaskMapper(long remaining) {
		TaskService tasks = mock(TaskService.class);
		TaskQuery query = mock(TaskQuery.class);
		when(tasks.createTaskQuery()).thenReturn(query);
		when(query.taskId(TASK_ID)).thenReturn(query);
		when(query.count()).thenReturn(remaining);
		return new EngineRestMappers.VanishedTaskMapper(tasks);
	}

	private static AuthorizationException refusalOnTask() {
		return new AuthorizationException("officer2",
				List.of(new MissingAuthorization("TASK_WORK", Resources.TASK.resourceName(), TASK_ID)));
	}

}
