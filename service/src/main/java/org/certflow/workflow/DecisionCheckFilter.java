package org.certflow.workflow;

import java.io.IOException;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.certflow.request.RequestException;
import org.certflow.request.ValidateApplication;
import org.certflow.support.CachedBodyRequest;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks an officer's decision when the task is completed through the engine REST API or
 * Tasklist, and answers a wrong one with 400 and the reason. The engine would refuse it
 * too (the task listener runs the same check), but it reports any listener failure as a
 * 500.
 */
class DecisionCheckFilter extends OncePerRequestFilter {

	private static final Pattern COMPLETION = Pattern.compile(".*/task/([^/]+)/(complete|submit-form)$");

	private static final int MAX_BODY = 1024 * 1024;

	private final TaskService tasks;

	private final ObjectMapper json = new ObjectMapper();

	DecisionCheckFilter(TaskService tasks) {
		this.tasks = tasks;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !COMPLETION.matcher(request.getRequestURI()).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher completion = COMPLETION.matcher(request.getRequestURI());
		completion.matches();
		Task task = this.tasks.createTaskQuery().taskId(completion.group(1)).singleResult();
		if (task == null || !Element.VALIDATE_APPLICATION.equals(task.getTaskDefinitionKey())) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes(MAX_BODY);
		String problem = problem(body);
		if (problem != null) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.setContentType("application/json");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter()
				.write(this.json.writeValueAsString(Map.of("type", "InvalidRequestException", "message", problem)));
			return;
		}
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

	private static String text(JsonNode variables, String name) {
		JsonNode value = variables.path(name).path("value");
		return (value.isMissingNode() || value.isNull()) ? null : value.asText();
	}

	private String problem(byte[] body) {
		JsonNode variables;
		try {
			variables = this.json.readTree(body).path("variables");
		}
		catch (IOException ex) {
			// Not ours to judge: the engine answers malformed bodies itself.
			return null;
		}
		try {
			ValidateApplication.checkedDecision(variables.path(Variable.DECISION).path("value").asText(null),
					text(variables, Variable.DECISION_REASON), text(variables, Variable.DEFER_UNTIL), Instant.now());
			return null;
		}
		catch (RequestException ex) {
			return ex.getMessage();
		}
	}

}
