package org.certflow.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.certflow.revocation.CaPublication;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * OCSP over GET (RFC 6960 appendix A.1): {@code /ocsp/{url-encoded base64 of the DER
 * request}}. Base64 contains '/', which arrives encoded as %2F; Tomcat passes it through
 * unchanged and this filter decodes it itself, so no other path ever sees an encoded
 * slash decoded.
 */
class OcspGetFilter extends OncePerRequestFilter {

	private static final String PREFIX = "/ocsp/";

	// A request for one certificate is about 100 bytes of DER; anything much longer is
	// not one.
	private static final int MAX_ENCODED = 4 * 1024;

	private final CaPublication publication;

	OcspGetFilter(CaPublication publication) {
		this.publication = publication;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.startsWith(PREFIX)) {
			chain.doFilter(request, response);
			return;
		}
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
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(CaPublicationController.OCSP_RESPONSE.toString());
		response.setContentLength(answer.length);
		response.getOutputStream().write(answer);
	}

}
