package dev.nvjrun.plugin.api;

import dev.nvjrun.plugin.host.Gpu;
import dev.nvjrun.plugin.host.GpuHost;
import dev.nvjrun.plugin.host.GpuStatus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Request counts and latencies of the REST API, and the Prometheus text of {@code /metrics}. */
public final class RequestMetrics {

    /** Histogram bounds in seconds; the API answers in well under a millisecond when healthy. */
    private static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1};

    private record Key(String path, int status) {
    }

    private static final class Series {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BOUNDS.length];

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Series> latency = new ConcurrentHashMap<>();

    /** Counts one answered request. */
    public void record(String path, int status, long nanos) {
        requests.computeIfAbsent(new Key(path, status), k -> new LongAdder()).increment();
        Series series = latency.computeIfAbsent(path, p -> new Series());
        series.count.increment();
        series.nanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                series.buckets[i].increment();
                break;
            }
        }
    }

    /** The number of answered requests for a path and status so far. */
    public long count(String path, int status) {
        LongAdder adder = requests.get(new Key(path, status));
        return adder == null ? 0 : adder.sum();
    }

    /** Prometheus text exposition: live GPU gauges read from {@code host}, then the request metrics. */
    public String render(GpuHost host, List<Gpu> gpus) {
        StringBuilder out = new StringBuilder(4096);
        List<GpuStatus> statuses = gpus.stream().map(g -> host.status(g.index())).toList();
        gauge(out, gpus, statuses, "nvjrun_gpu_utilization_percent", "GPU utilisation in percent.", GpuStatus::utilizationGpuPercent, 1);
        gauge(out, gpus, statuses, "nvjrun_gpu_memory_utilization_percent", "Memory controller utilisation in percent.", GpuStatus::utilizationMemPercent, 1);
        gauge(out, gpus, statuses, "nvjrun_gpu_memory_used_bytes", "GPU memory in use.", GpuStatus::memoryUsedMiB, 1 << 20);
        gauge(out, gpus, statuses, "nvjrun_gpu_memory_total_bytes", "GPU memory in all.", GpuStatus::memoryTotalMiB, 1 << 20);
        gauge(out, gpus, statuses, "nvjrun_gpu_temperature_celsius", "GPU core temperature.", GpuStatus::temperatureCelsius, 1);
        gauge(out, gpus, statuses, "nvjrun_gpu_power_watts", "GPU power draw.", GpuStatus::powerWatts, 1);

        out.append("# HELP nvjrun_http_requests_total Requests answered by the REST API.\n");
        out.append("# TYPE nvjrun_http_requests_total counter\n");
        new TreeMap<>(requests.entrySet().stream().collect(Collectors.toMap(
                e -> "{path=\"" + escape(e.getKey().path()) + "\",code=\"" + e.getKey().status() + "\"}",
                e -> e.getValue().sum()))).forEach((labels, n) ->
                out.append("nvjrun_http_requests_total").append(labels).append(' ').append(n).append('\n'));

        out.append("# HELP nvjrun_http_request_duration_seconds Time to answer a request.\n");
        out.append("# TYPE nvjrun_http_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((path, series) -> {
            String label = "path=\"" + escape(path) + "\"";
            long cumulative = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                cumulative += series.buckets[i].sum();
                out.append("nvjrun_http_request_duration_seconds_bucket{").append(label).append(",le=\"")
                        .append(BOUNDS[i]).append("\"} ").append(cumulative).append('\n');
            }
            long count = series.count.sum();
            out.append("nvjrun_http_request_duration_seconds_bucket{").append(label).append(",le=\"+Inf\"} ").append(count).append('\n');
            out.append("nvjrun_http_request_duration_seconds_sum{").append(label).append("} ").append(series.nanos.sum() / 1e9).append('\n');
            out.append("nvjrun_http_request_duration_seconds_count{").append(label).append("} ").append(count).append('\n');
        });
        return out.toString();
    }

    private static void gauge(StringBuilder out, List<Gpu> gpus, List<GpuStatus> statuses, String name, String help,
                              Function<GpuStatus, ? extends Number> value, long scale) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        for (int i = 0; i < gpus.size(); i++) {
            Number v = statuses.get(i) == null ? null : value.apply(statuses.get(i));
            if (v == null) {
                continue; // not reported by the driver: absent rather than a made-up zero
            }
            Gpu gpu = gpus.get(i);
            out.append(name).append("{gpu=\"").append(gpu.index()).append("\",uuid=\"").append(escape(gpu.uuid())).append("\"} ");
            if (v instanceof Double d) {
                out.append(d * scale);
            } else {
                out.append(v.longValue() * scale);
            }
            out.append('\n');
        }
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
