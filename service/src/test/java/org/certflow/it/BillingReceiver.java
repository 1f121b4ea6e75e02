package org.certflow.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A billing system for the suite, on a free loopback port: it answers as told (take the
 * event, fail with 500, hang past the client's timeout, refuse with 400) and keeps what
 * it was sent, with each delivery's idempotency key.
 */
final class BillingReceiver {

	enum Mode {

		ACCEPT, FAIL, HANG, REFUSE

	}

	/**
	 * One delivery.
	 *
	 * @param key the Idempotency-Key header
	 * @param authorization the Authorization header
	 * @param body the JSON
	 * @param answered the status it got; 0 when it hung
	 */
	record Delivery(String key, String authorization, String body, int answered) {
	}

	private final HttpServer server;

	private final List<Delivery> deliveries = new ArrayList<>();

	private volatile Mode mode = Mode.ACCEPT;

	BillingReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.setExecutor(Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "billing-receiver");
			thread.setDaemon(true);
			return thread;
		}));
		this.server.createContext("/billing/events", this::handle);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/billing/events";
	}

	void mode(Mode mode) {
		this.mode = mode;
	}

	synchronized List<Delivery> deliveries() {
		return List.copyOf(this.deliveries);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Mode now = this.mode;
		int status = switch (now) {
			case ACCEPT -> 201;
			case FAIL -> 503;
			case REFUSE -> 400;
			case HANG -> 0;
		};
		synchronized (this) {
			this.deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("Idempotency-Key"),
					exchange.getRequestHeaders().getFirst("Authorization"), body, status));
		}
		if (now == Mode.HANG) {
			try {
				Thread.sleep(3000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
			return;
		}
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

}
