package org.certflow.workflow;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.certflow.processes.CertificateRequestProcess.Variable;
import org.certflow.request.RequestException;
import org.certflow.request.ValidateApplication;
import org.certflow.support.CachedBodyRequest;
import org.certflow.support.EngineRestErrors;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the task endpoints of the engine REST API and Tasklist's API.
 * <ul>
 * <li>What an officer sends to end the validation task is held to the form's contract,
 * and anything else answered with 400 and the reason: only
 * {@link Variable#OFFICER_DECISION} may be sent, each as a plain string, and the decision
 * must be one we can record. The engine checks the decision again (the task listener),
 * but it cannot tell which variables came with a completion.</li>
 * <li>The validation task ends only by a decision: a BPMN error or escalation thrown from
 * it, or an update of the task itself, is refused with 403.</li>
 * <li>A task id that names no task is answered with 404; several engine endpoints would
 * answer 500.</li>
 * </ul>
 * <p>
 * The path is matched after undoing every spelling Tomcat and Jersey would accept
 * (trailing or doubled slashes, path parameters, percent-encoding, case), so that no
 * spelling reaches the engine unchecked; {@code EnginePathGuard} refuses most of them
 * earlier still.
 */
class DecisionCheckFilter extends OncePerRequestFilter {

	private static final Pattern TASK_ACTION = Pattern.compile(".*/task/([^/]+)(?:/(.+))?", Pattern.CASE_INSENSITIVE);

	/** Words in the place of a task id that name collections, not tasks. */
	private static final Set<String> NOT_TASK_IDS = Set.of("report", "create", "count");

	private static final Set<String> ENDS_WITH_DECISION = Set.of("complete", "submit-form", "resolve");

	private static final Set<String> ENDS_WITHOUT_DECISION = Set.of("bpmnerror", "bpmnescalation");

	/** The officers' tasks that end only with a decision held to the form's contract. */
	private static final Set<String> DECISION_TASKS = Set.of(Element.VALIDATE_APPLICATION, Element.SECOND_APPROVAL);

	private static final Set<String> STRING_TYPES = Set.of("string", "null");

	private static final int MAX_BODY = 1024 * 1024;

	private final TaskService tasks;

	private final ObjectMapper json = new ObjectMapper();

	DecisionCheckFilter(TaskService tasks) {
		this.tasks = tasks;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return action(request.getRequestURI()) == null || !loggedIn(request);
	}

	/**
	 * Engine REST requests have passed Spring Security by now. The webapps' API checks
	 * its session only after this filter: until it has, an anonymous caller must hear 401
	 * from it, and learn nothing from us about which tasks exist.
	 */
	private static boolean loggedIn(HttpServletRequest request) {
		if (!request.getRequestURI().startsWith(request.getContextPath() + "/camunda/")) {
			return true;
		}
		HttpSession session = request.getSession(false);
		Authentications authentications = (session != null) ? AuthenticationUtil.getAuthsFromSession(session) : null;
		return authentications != null && !authentications.getAuthentications().isEmpty();
	}

	/**
	 * @return task id and action, or {@code null} when the path is no task action
	 */
	static String[] action(String rawPath) {
		String path = rawPath.replaceAll(";[^/]*", "");
		try {
			path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// Malformed: EnginePathGuard has refused it; no engine would serve it either.
			return null;
		}
		path = path.replace('\\', '/').replaceAll("/{2,}", "/").replaceAll("/+$", "");
		Matcher matcher = TASK_ACTION.matcher(path);
		if (!matcher.matches() || NOT_TASK_IDS.contains(matcher.group(1).toLowerCase(Locale.ROOT))) {
			return null;
		}
		String action = (matcher.group(2) != null) ? matcher.group(2).toLowerCase(Locale.ROOT) : "";
		return new String[] { matcher.group(1), action };
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String[] action = action(request.getRequestURI());
		Task task = this.tasks.createTaskQuery().taskId(action[0]).singleResult();
		if (task == null) {
			// Several engine endpoints answer an unknown task with 500 (or a
			// NullPointerException): the client is at fault, and should hear so.
			EngineRestErrors.refuse(response, HttpServletResponse.SC_NOT_FOUND,
					"There is no task " + action[0] + "; it may have been completed already or you may not see it.");
			return;
		}
		if (action[1].isEmpty() && DECISION_TASKS.contains(task.getTaskDefinitionKey())
				&& !"GET".equals(request.getMethod())) {
			// Officers may assign the task (TASK_ASSIGN), which the engine also takes as
			// leave to rewrite the rest of it.
			EngineRestErrors.refuse(response, HttpServletResponse.SC_FORBIDDEN,
					"The validation task is changed only by claiming, assigning or deciding it.");
			return;
		}
		boolean decisionAction = ENDS_WITH_DECISION.contains(action[1]);
		if (!DECISION_TASKS.contains(task.getTaskDefinitionKey())
				|| !(decisionAction || ENDS_WITHOUT_DECISION.contains(action[1]))
				|| "GET".equals(request.getMethod())) {
			chain.doFilter(request, response);
			return;
		}
		if (!decisionAction) {
			EngineRestErrors.refuse(response, HttpServletResponse.SC_FORBIDDEN,
					"The validation task ends only with a decision (approve, reject or defer), "
							+ "not with a BPMN error or escalation.");
			return;
		}
		byte[] body = request.getInputStream().readNBytes(MAX_BODY);
		String problem = problem(body);
		if (problem != null) {
			EngineRestErrors.refuse(response, HttpServletResponse.SC_BAD_REQUEST, problem);
			return;
		}
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

	String problem(byte[] body) {
		JsonNode variables;
		try {
			JsonNode root = (body.length == 0) ? this.json.createObjectNode() : this.json.readTree(body);
			if (root == null || !root.isObject()) {
				return "The body must be a JSON object with the decision in \"variables\".";
			}
			variables = root.path("variables");
		}
		catch (IOException ex) {
			return "The body is not valid JSON.";
		}
		if (!variables.isMissingNode() && !variables.isNull() && !variables.isObject()) {
			return "\"variables\" must be a JSON object.";
		}
		Set<String> unknown = new TreeSet<>();
		List<String> notText = new ArrayList<>();
		for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> variable = it.next();
			if (!Variable.OFFICER_DECISION.contains(variable.getKey())) {
				unknown.add(variable.getKey());
			}
			else if (!plainText(variable.getValue())) {
				notText.add(variable.getKey());
			}
		}
		if (!unknown.isEmpty()) {
			return "Only " + String.join(", ", new TreeSet<>(Variable.OFFICER_DECISION))
					+ " may be sent to complete the validation task; refused: " + String.join(", ", unknown) + ".";
		}
		if (!notText.isEmpty()) {
			return String.join(", ", notText) + " must be sent as text (type String), without valueInfo.";
		}
		try {
			ValidateApplication.checkedDecision(text(variables, Variable.DECISION),
					text(variables, Variable.DECISION_REASON), text(variables, Variable.DEFER_UNTIL), Instant.now());
			return null;
		}
		catch (RequestException ex) {
			return ex.getMessage();
		}
	}

	private static boolean plainText(JsonNode variable) {
		if (!variable.isObject()) {
			return false;
		}
		JsonNode type = variable.path("type");
		JsonNode value = variable.path("value");
		JsonNode info = variable.path("valueInfo");
		for (Iterator<String> names = variable.fieldNames(); names.hasNext();) {
			if (!Set.of("value", "type", "valueInfo").contains(names.next())) {
				return false;
			}
		}
		return (type.isMissingNode() || type.isNull()
				|| (type.isTextual() && STRING_TYPES.contains(type.asText().toLowerCase(Locale.ROOT))))
				&& (value.isMissingNode() || value.isNull() || value.isTextual())
				&& (info.isMissingNode() || info.isNull() || (info.isObject() && info.isEmpty()));
	}

	private static String text(JsonNode variables, String name) {
		JsonNode value = variables.path(name).path("value");
		return (value.isMissingNode() || value.isNull()) ? null : value.asText();
	}

}
