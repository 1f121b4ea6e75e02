package org.certflow.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.certflow.request.RequestException;

/**
 * The columns a batch file may have, named as the API's JSON fields are. Which ones a
 * file has decides what each row becomes: without {@code csrPem} an invitation, with it a
 * request on the applicant's behalf.
 */
enum Column {

	EMAIL("email", true), FULL_NAME("fullName", true), CERTIFICATE_CLASS("certificateClass", true),
	PHONE("phone", false), ORGANISATION("organisation", false), CSR_PEM("csrPem", false);

	private final String header;

	private final boolean required;

	Column(String header, boolean required) {
		this.header = header;
		this.required = required;
	}

	String header() {
		return this.header;
	}

	/**
	 * Where each column is in a file, read from its header row.
	 *
	 * @param order the columns in file order
	 */
	record Layout(List<Column> order) {

		/**
		 * @param header the header row's cells
		 * @return the layout
		 * @throws RequestException INVALID naming an unknown, repeated or missing column
		 */
		static Layout of(List<String> header) {
			List<Column> order = new ArrayList<>();
			for (String cell : header) {
				String name = cell.strip();
				Column column = Arrays.stream(values())
					.filter((c) -> c.header.equalsIgnoreCase(name))
					.findFirst()
					.orElseThrow(() -> invalid("The header row names a column '" + shorten(name)
							+ "' that batch files do not have. " + expected()));
				if (order.contains(column)) {
					throw invalid("The header row names the column " + column.header + " twice. " + expected());
				}
				order.add(column);
			}
			List<String> missing = Arrays.stream(values())
				.filter((c) -> c.required && !order.contains(c))
				.map(Column::header)
				.toList();
			if (!missing.isEmpty()) {
				throw invalid("The header row lacks the column" + ((missing.size() > 1) ? "s " : " ")
						+ String.join(", ", missing) + ". " + expected());
			}
			return new Layout(List.copyOf(order));
		}

		/**
		 * @param stored what {@link #stored()} returned
		 * @return the layout
		 */
		static Layout parse(String stored) {
			return new Layout(Arrays.stream(stored.split(",")).map(Column::valueOf).toList());
		}

		/**
		 * @return the layout as kept with the batch
		 */
		String stored() {
			return this.order.stream().map(Enum::name).collect(Collectors.joining(","));
		}

		boolean has(Column column) {
			return this.order.contains(column);
		}

		/**
		 * @param fields a row's cells
		 * @return the cells by column
		 * @throws RequestException INVALID when the row has another number of cells
		 */
		Map<Column, String> cells(List<String> fields) {
			if (fields.size() != this.order.size()) {
				throw invalid("The row has " + fields.size() + " cell" + ((fields.size() == 1) ? "" : "s")
						+ " but the header row has " + this.order.size() + " ("
						+ this.order.stream().map(Column::header).collect(Collectors.joining(",")) + ").");
			}
			Map<Column, String> cells = new EnumMap<>(Column.class);
			for (int i = 0; i < fields.size(); i++) {
				cells.put(this.order.get(i), fields.get(i));
			}
			return cells;
		}

	}

	private static String expected() {
		return "Invitations need the columns email,fullName,certificateClass (phone and organisation optional); "
				+ "add csrPem for requests entered on the applicants' behalf.";
	}

	private static String shorten(String text) {
		String plain = text.replaceAll("\\p{Cntrl}", "?");
		return (plain.length() > 40) ? plain.substring(0, 40) + "..." : plain;
	}

	private static RequestException invalid(String message) {
		return new RequestException(RequestException.Kind.INVALID, message);
	}

}
