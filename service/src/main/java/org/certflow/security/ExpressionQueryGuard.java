package org.certflow.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.certflow.support.CachedBodyRequest;
import org.certflow.support.EngineRestErrors;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Second wall against expressions in task and filter queries; the first is
 * {@link QueryExpressionBan} inside the engine.
 * <p>
 * Only the query endpoints are judged ({@code /task}, {@code /task/count} and everything
 * under {@code /filter}), and only after decoding: query parameters and form fields as
 * the servlet container decodes them, JSON bodies as Jackson parses them, so that
 * {@code \u0024&#123;} or {@code %24%7B} is seen as what the engine would see. A value is
 * refused when its key ends in {@code Expression} or when it contains {@code $&#123;} or
 * {@code #&#123;}, at any depth (orQueries included). Task completion, form submission
 * and variables are data, not queries, and pass untouched: an officer's reason may well
 * contain {@code $&#123;100&#125;}.
 */
class ExpressionQueryGuard extends OncePerRequestFilter {

	private static final int MAX_BODY = 1024 * 1024;

	private static final String REFUSAL = "Expressions are not allowed in task or filter queries: "
			+ "remove every ...Expression field and every value containing ${ or #{.";

	/**
	 * Where the engine's REST resources start: engine REST or the webapps' engine API.
	 */
	private static final Pattern ENGINE_ROOT = Pattern
		.compile("^(/engine-rest|/camunda/api/engine)(/engine/[^/]+)?(?=/|$)");

	private static final Pattern QUERY_ENDPOINT = Pattern.compile("^/(task(/count)?|filter(/.*)?)/?$");

	private final ObjectMapper json = new ObjectMapper();

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// Both the path the container mapped (decoded, normalized) and the raw one
		// decoded here, so that no spelling of a query endpoint slips past.
		String mapped = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		String raw = request.getRequestURI().substring(request.getContextPath().length());
		String decodedRaw = decoded(raw);
		return !(isQueryEndpoint(mapped) || isQueryEndpoint((decodedRaw != null) ? decodedRaw : raw));
	}

	/** The text URL-decoded, or null if it is not valid URL encoding. */
	private static String decoded(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static boolean isQueryEndpoint(String path) {
		String normalized = path.replaceAll("/{2,}", "/");
		int parameters = normalized.indexOf(';');
		if (parameters >= 0) {
			normalized = normalized.substring(0, parameters);
		}
		Matcher root = ENGINE_ROOT.matcher(normalized);
		return root.find() && QUERY_ENDPOINT.matcher(normalized.substring(root.end())).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query != null && decoded(query) == null) {
			EngineRestErrors.refuse(response, HttpServletResponse.SC_BAD_REQUEST,
					"The query string is not valid URL encoding.");
			return;
		}
		// The container decodes query parameters, and form fields for a form body.
		if (hasExpression(request.getParameterMap())) {
			EngineRestErrors.refuse(response, HttpServletResponse.SC_BAD_REQUEST, REFUSAL);
			return;
		}
		if (isForm(request)) {
			chain.doFilter(request, response);
			return;
		}
		HttpServletRequest forward = request;
		if (request.getContentLengthLong() != 0 && !"GET".equals(request.getMethod())) {
			byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
			if (body.length > MAX_BODY) {
				response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Query body too large");
				return;
			}
			if (body.length > 0) {
				JsonNode tree;
				try {
					tree = this.json.readTree(body);
				}
				catch (JacksonException ex) {
					EngineRestErrors.refuse(response, HttpServletResponse.SC_BAD_REQUEST,
							"The query body is not valid JSON.");
					return;
				}
				if (hasExpression(null, tree)) {
					EngineRestErrors.refuse(response, HttpServletResponse.SC_BAD_REQUEST, REFUSAL);
					return;
				}
			}
			forward = new CachedBodyRequest(request, body);
		}
		chain.doFilter(forward, response);
	}

	private static boolean isForm(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
	}

	private static boolean hasExpression(Map<String, String[]> parameters) {
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			for (String value : parameter.getValue()) {
				if (isExpression(parameter.getKey(), value)) {
					return true;
				}
			}
		}
		return false;
	}

	static boolean hasExpression(String key, JsonNode node) {
		if (node == null || node.isNull()) {
			return false;
		}
		if (key != null && isExpressionKey(key)) {
			return true;
		}
		if (node.isTextual()) {
			return isExpression(key, node.textValue());
		}
		if (node.isArray()) {
			for (JsonNode element : node) {
				if (hasExpression(key, element)) {
					return true;
				}
			}
			return false;
		}
		Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (hasExpression(field.getKey(), field.getValue())) {
				return true;
			}
		}
		return false;
	}

	static boolean isExpression(String key, String value) {
		if (key != null && isExpressionKey(key)) {
			// Even an empty one: the engine would evaluate it all the same.
			return true;
		}
		return value != null && (value.contains("${") || value.contains("#{"));
	}

	private static boolean isExpressionKey(String key) {
		return key.toLowerCase(Locale.ROOT).endsWith("expression");
	}

}
