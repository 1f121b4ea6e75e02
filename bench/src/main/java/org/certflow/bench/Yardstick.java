package org.certflow.bench;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;

/**
 * What the engine alone does on this machine and database: a plain Camunda 7 engine
 * (configured as CertFlow configures its own: history level audit, removal time fixed at
 * the start; no job executor) runs start, a service task that signs one certificate, end,
 * synchronously from one thread. Runs in a JVM of its own with the service's JVM options;
 * the driver reads the result line from its output.
 */
final class Yardstick {

	static final String RESULT_PREFIX = "yardstick-result ";

	static final String PROCESS_KEY = "YardstickProcess";

	private Yardstick() {
	}

	/**
	 * @param args
	 * {@code --jdbc-url URL --db-user U --database-type h2|mysql --instances N
	 * --warmup W --key-algorithm ALG}; the password comes from
	 * {@code CERTFLOW_BENCH_DB_PASSWORD}
	 */
	static void main(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		int instances = Integer.parseInt(options.get("instances"));
		int warmup = Integer.parseInt(options.get("warmup"));
		SignOneCertificate signer = new SignOneCertificate(SigningKey.parse(options.get("key-algorithm")));
		try (HikariDataSource dataSource = dataSource(options.get("jdbc-url"), options.get("db-user"))) {
			ProcessEngine engine = engine(dataSource, options.get("database-type"), signer);
			try {
				engine.getRepositoryService()
					.createDeployment()
					.name("yardstick")
					.addModelInstance("yardstick.bpmn", model())
					.deploy();
				RuntimeService runtime = engine.getRuntimeService();
				run(runtime, warmup);
				long start = System.nanoTime();
				run(runtime, instances);
				double seconds = (System.nanoTime() - start) / 1e9;
				long ended = engine.getHistoryService().createHistoricProcessInstanceQuery().completed().count();
				if (ended != warmup + instances || signer.signedBytes() == 0) {
					throw new IllegalStateException(
							"Expected " + (warmup + instances) + " ended instances, found " + ended);
				}
				System.out.println(RESULT_PREFIX + "instances=" + instances + " seconds=" + seconds);
			}
			finally {
				engine.close();
			}
		}
	}

	private static void run(RuntimeService runtime, int count) {
		for (int i = 0; i < count; i++) {
			runtime.startProcessInstanceByKey(PROCESS_KEY, UUID.randomUUID().toString());
		}
	}

	/**
	 * Start, sign, end; the history time to live is the request process's, because at
	 * level full the engine writes removal times from it when an instance ends.
	 */
	static BpmnModelInstance model() {
		return Bpmn.createExecutableProcess(PROCESS_KEY)
			.name("Yardstick")
			.camundaHistoryTimeToLive(400)
			.startEvent("StartEvent_Started")
			.serviceTask("Task_SignCertificate")
			.camundaDelegateExpression("${signOneCertificate}")
			.endEvent("EndEvent_Signed")
			.done();
	}

	private static ProcessEngine engine(HikariDataSource dataSource, String databaseType, SignOneCertificate signer) {
		StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
		configuration.setProcessEngineName("yardstick");
		configuration.setDataSource(dataSource);
		configuration.setDatabaseType(databaseType);
		configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
		configuration.setHistory(ProcessEngineConfiguration.HISTORY_AUDIT);
		configuration.setHistoryRemovalTimeStrategy(ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_START);
		configuration.setJobExecutorActivate(false);
		Map<Object, Object> beans = new HashMap<>();
		beans.put("signOneCertificate", signer);
		configuration.setBeans(beans);
		return configuration.buildProcessEngine();
	}

	/**
	 * The same pool and isolation as the service's ({@code spring.datasource.hikari}).
	 */
	private static HikariDataSource dataSource(String url, String user) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(user);
		config.setPassword(System.getenv().getOrDefault(BenchOptions.PASSWORD_VARIABLE, ""));
		config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
		config.setPoolName("yardstick");
		HikariDataSource dataSource = new HikariDataSource(config);
		try (Connection connection = dataSource.getConnection()) {
			connection.isValid(5);
		}
		catch (java.sql.SQLException ex) {
			dataSource.close();
			throw new IllegalStateException("Cannot connect to " + url + ": " + ex.getMessage(), ex);
		}
		return dataSource;
	}

}
