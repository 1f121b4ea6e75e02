package org.certflow.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.certflow.revocation.CaPublication;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * OCSP over GET and POST (RFC 6960 appendix A.1), answered here ahead of Spring Security
 * and Spring MVC: OCSP needs no authentication, no session and no CSRF token, and the
 * answer is stored bytes, so the whole filter chain behind would cost more than the
 * answer itself. GET is {@code /ocsp/{url-encoded base64 of the DER request}}: base64
 * contains '/', which arrives encoded as %2F; Tomcat passes it through unchanged and this
 * filter decodes it itself, so no other path ever sees an encoded slash decoded. POST
 * with another content type goes on to the controller, which refuses it.
 */
class OcspFilter extends OncePerRequestFilter {

	static final String PATH = "/ocsp";

	private static final String PREFIX = PATH + "/";

	// A request for one certificate is about 100 bytes of DER; anything much longer is
	// not one.
	private static final int MAX_ENCODED = 4 * 1024;

	private static final int MAX_BODY = CaPublicationController.MAX_OCSP_REQUEST;

	private static final String OCSP_RESPONSE = CaPublicationController.OCSP_RESPONSE.toString();

	private static final String OCSP_REQUEST = CaPublicationController.OCSP_REQUEST.toString();

	private final CaPublication publication;

	private final OcspCaching caching;

	OcspFilter(CaPublication publication, OcspCaching caching) {
		this.publication = publication;
		this.caching = caching;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return true;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String method = request.getMethod();
		if ("POST".equals(method) && PATH.equals(path) && isOcspRequest(request.getContentType())) {
			post(request, response, chain);
		}
		else if ("GET".equals(method) && path.startsWith(PREFIX)) {
			get(path, response);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	private void post(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > MAX_BODY) {
			// The controller writes the 413 problem.
			chain.doFilter(request, response);
			return;
		}
		byte[] body = read(request.getInputStream());
		if (body == null) {
			response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
			return;
		}
		byte[] answer = this.publication.ocsp(body);
		this.caching.apply(answer, response, false);
		write(response, answer);
	}

	private void get(String path, HttpServletResponse response) throws IOException {
		String encoded = path.substring(PREFIX.length());
		if (encoded.length() > MAX_ENCODED) {
			response.sendError(HttpServletResponse.SC_REQUEST_URI_TOO_LONG);
			return;
		}
		byte[] der;
		try {
			der = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
		}
		catch (IllegalArgumentException ex) {
			// Not base64: the responder answers it like any malformed request.
			der = new byte[0];
		}
		byte[] answer = this.publication.ocsp(der);
		this.caching.apply(answer, response, true);
		write(response, answer);
	}

	private static void write(HttpServletResponse response, byte[] answer) throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(OCSP_RESPONSE);
		response.setContentLength(answer.length);
		response.getOutputStream().write(answer);
	}

	/** The body, or {@code null} when it is longer than an OCSP request can be. */
	private static byte[] read(InputStream in) throws IOException {
		byte[] buffer = new byte[512];
		int length = 0;
		while (true) {
			if (length == buffer.length) {
				if (length > MAX_BODY) {
					return null;
				}
				buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_BODY + 1));
			}
			int n = in.read(buffer, length, buffer.length - length);
			if (n < 0) {
				return (length > MAX_BODY) ? null : Arrays.copyOf(buffer, length);
			}
			length += n;
		}
	}

	private static boolean isOcspRequest(String contentType) {
		return contentType != null && contentType.regionMatches(true, 0, OCSP_REQUEST, 0, OCSP_REQUEST.length())
				&& (contentType.length() == OCSP_REQUEST.length() || contentType.charAt(OCSP_REQUEST.length()) == ';');
	}

}
