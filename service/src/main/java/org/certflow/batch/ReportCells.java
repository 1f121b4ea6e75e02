package org.certflow.batch;

/**
 * Cells of the error report. The report repeats what was uploaded, which may be anything:
 * a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage
 * return is a formula to a spreadsheet (OWASP "CSV injection": {@code =cmd|...} runs a
 * program in some), so it gets a leading apostrophe, which makes a spreadsheet show it as
 * text. Then the cell is quoted as RFC 4180 says.
 */
final class ReportCells {

	private ReportCells() {
	}

	/**
	 * @param value the value, or {@code null} for an empty cell
	 * @return the cell as it goes into the file
	 */
	static String cell(String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		String text = value;
		char first = text.charAt(0);
		if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
			text = "'" + text;
		}
		if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
			return text;
		}
		return '"' + text.replace("\"", "\"\"") + '"';
	}

}
