package org.certflow.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starting the JVMs the benchmark compares. Both sides get the same java binary and the
 * same JVM options, so that a ratio between them says something about CertFlow, not about
 * heap sizes.
 */
final class Jvms {

	private Jvms() {
	}

	/**
	 * @return the java binary this benchmark runs on
	 */
	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * A command that runs this benchmark's own code again with the given arguments: the
	 * runnable jar when started with {@code java -jar}, otherwise the class path.
	 * @param jvmArgs JVM options
	 * @param args program arguments
	 * @return the command
	 */
	static List<String> self(List<String> jvmArgs, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmArgs);
		String classPath = System.getProperty("java.class.path");
		if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")) {
			command.add("-jar");
			// Absolute: the fork runs in a directory of its own.
			command.add(Path.of(classPath).toAbsolutePath().toString());
		}
		else {
			command.add("-cp");
			command.add(classPath);
			command.add(CertFlowBench.class.getName());
		}
		command.addAll(args);
		return command;
	}

	/**
	 * @return a loopback port free at this moment
	 */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String tail(Path log, int lines) {
		try {
			List<String> all = Files.readAllLines(log);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	static void deleteTree(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			System.err.println("Could not delete " + dir + ": " + ex.getMessage());
		}
	}

}
