package org.certflow.ca.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark JVM per operation, beside JMH's wall-clock throughput. On a
 * machine shared with other builds, throughput measured at one moment and at the next are
 * taken under different loads; CPU time per operation depends on them less, so the ratio
 * of two of them is the steadier estimate of what share of an issuance is cryptography.
 * It counts every thread of the JVM, so garbage collection is part of an operation's
 * cost, as it is in service.
 */
public class CpuPerOperationProfiler implements InternalProfiler {

	static final String LABEL = "cpu.us/op";

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private long cpuNanosBefore;

	@Override
	public String getDescription() {
		return "CPU time of the whole JVM per benchmark operation";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		this.cpuNanosBefore = this.os.getProcessCpuTime();
	}

	@Override
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
			IterationResult result) {
		long cpuNanos = this.os.getProcessCpuTime() - this.cpuNanosBefore;
		// All operations, also those run while the threads start and stop together:
		// their CPU time is in the measurement too.
		long ops = result.getMetadata().getAllOps();
		if (ops <= 0) {
			return List.of();
		}
		return List.of(new ScalarResult(LABEL, cpuNanos / 1000.0 / ops, "us/op", AggregationPolicy.AVG));
	}

}
