package org.certflow.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * SHA-256 hashes of SubjectPublicKeyInfo DER for keys that must never be certified
 * (Debian weak keys, keys reported compromised). File format: one lowercase or uppercase
 * hex hash per line; blank lines and lines starting with {@code #} are ignored.
 */
final class KeyBlocklist {

	private final Set<String> hashes;

	private KeyBlocklist(Set<String> hashes) {
		this.hashes = Set.copyOf(hashes);
	}

	static KeyBlocklist empty() {
		return new KeyBlocklist(Set.of());
	}

	static KeyBlocklist load(Path file) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new CaConfigurationException("keyBlocklistFile", "cannot read " + file, ex);
		}
		Set<String> hashes = new HashSet<>();
		int lineNo = 0;
		for (String raw : lines) {
			lineNo++;
			String line = raw.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (!line.matches("[0-9a-fA-F]{64}")) {
				throw new CaConfigurationException("keyBlocklistFile",
						file + " line " + lineNo + " is not a SHA-256 hash in hex");
			}
			hashes.add(line.toLowerCase(java.util.Locale.ROOT));
		}
		return new KeyBlocklist(hashes);
	}

	boolean contains(byte[] spkiSha256) {
		return this.hashes.contains(HexFormat.of().formatHex(spkiSha256));
	}

}
