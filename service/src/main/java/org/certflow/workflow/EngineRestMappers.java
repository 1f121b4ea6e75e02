package org.certflow.workflow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import org.camunda.bpm.engine.exception.NullValueException;

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
