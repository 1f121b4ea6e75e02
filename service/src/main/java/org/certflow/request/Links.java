package org.certflow.request;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Links mailed to applicants: the public base URL ({@code certflow.public-base-url}, the
 * address applicants reach; production refuses a plain http:// one), a path and one
 * capability parameter.
 */
public final class Links {

	private Links() {
	}

	public static URI of(URI base, String path, String parameter, String value) {
		String root = base.toString().replaceAll("/+$", "");
		return URI.create(root + path + "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
	}

}
