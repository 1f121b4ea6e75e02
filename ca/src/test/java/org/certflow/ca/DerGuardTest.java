package org.certflow.ca;

import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contents rules DerGuard added after fuzzing found OBJECT IDENTIFIERs it let through
 * that Bouncy Castle then refused: each universal type Bouncy Castle checks is checked
 * here first.
 */
class DerGuardTest {

	@ParameterizedTest
	@CsvSource({ "3004060255b4, is cut off", "3005060380552b, non-minimal sub-identifier",
			"30020600, empty OBJECT IDENTIFIER", "30020200, empty INTEGER", "300402020001, leading padding",
			"30040202ff80, leading padding", "3003010101, not one byte 00 or FF", "300305010a, NULL with contents",
			"30020300, unused-bits count", "3003030101, unused-bits count", "3004030208ff, unused-bits count",
			"3004030201ff, unused bits are not zero", "30031e0141, BMPString", "30031c0141, UniversalString",
			"30020000, end-of-contents", "30020e00, universal type 14", "30020900, universal type 9",
			"30020800, universal type 8", "3011180f30303030303030323034343230305a, not a real date",
			"3011180f32303236303233313030303030305a, not a real date",
			"300f170d3236303133313234353930305a, not a real date",
			"3011180f31353832313031303030303030305a, not a real date",
			"300f170d32363131333031303430303030, UTCTime that is not in the DER form",
			"300d170b323631313330313034305a, UTCTime that is not in the DER form",
			"3015181332303236313133303130343030302b30313030, GeneralizedTime that is not in the DER form",
			"3014181232303236313133303130343030302e35305a, GeneralizedTime that is not in the DER form",
			"3012181032303236313133303130343030302e5a, GeneralizedTime that is not in the DER form" })
	void refusesContentsBouncyCastleWouldRefuse(String hex, String problem) {
		assertThat(DerGuard.problem(HexFormat.of().parseHex(hex), 100)).contains(problem);
	}

	@ParameterizedTest
	@ValueSource(strings = { "3003020100", "300402020080", "30030201ff", "3003010100", "30030101ff", "30020500",
			"3003030100", "3004030205a0", "300b06092a864886f70d01010b", "30041e020041", "30050d03810002",
			"3011180f32303234303232393030303030305a", "300f170d3030303232393030303030305a",
			"300f170d3236313133303130343030305a", "3011180f32303236313133303130343030305a",
			"3013181132303236313133303130343030302e355a" })
	void acceptsStrictDer(String hex) {
		assertThat(DerGuard.problem(HexFormat.of().parseHex(hex), 100)).isNull();
	}

}
