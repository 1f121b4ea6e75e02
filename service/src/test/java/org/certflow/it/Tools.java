package org.certflow.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;

/**
 * External checkers (openssl) that read what we issue. Where CI is true or
 * CERTFLOW_REQUIRE_TOOLS is true (.ci/run sets both and installs every tool), a missing
 * tool fails the test; only on a developer's machine does it skip the check, so an
 * independent check can never silently drop out of CI. The CA module's tests follow the
 * same rule.
 */
final class Tools {

	private Tools() {
	}

	static void requireOpenssl() {
		require("openssl");
	}

	static void require(String tool) {
		if (onPath(tool)) {
			return;
		}
		if (required()) {
			throw new AssertionError(tool + " is required here (CI or CERTFLOW_REQUIRE_TOOLS is true) but is not "
					+ "installed; .ci/run installs it");
		}
		Assumptions.abort(tool + " is not installed; CI installs it and runs this check");
	}

	static boolean required() {
		return "true".equals(System.getenv("CI")) || "true".equals(System.getenv("CERTFLOW_REQUIRE_TOOLS"));
	}

	static boolean onPath(String command) {
		String path = System.getenv("PATH");
		return path != null && Arrays.stream(path.split(File.pathSeparator))
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, command)));
	}

}
