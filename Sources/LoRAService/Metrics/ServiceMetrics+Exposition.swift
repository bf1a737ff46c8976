import PrometheusExposition

extension ServiceMetrics {
    /// Every metric in the Prometheus text format 0.0.4: families by name, series by label values.
    public func exposition() -> String {
        let state = state.withLock { $0 }
        var text = ExpositionWriter()

        text.family("lora_build_info", .gauge, "The trainer service's version and fault injection settings; always 1.")
        text.sample("lora_build_info", buildInfo, 1)

        text.family(
            "lora_http_request_duration_seconds", .histogram,
            "Time taken to answer HTTP requests, by method and route."
        )
        for (key, histogram) in state.requestDurations.sorted(by: { $0.key.sortsBefore($1.key) }) {
            text.histogram("lora_http_request_duration_seconds", [("method", key.method), ("route", key.route)], histogram)
        }

        text.family("lora_http_requests_total", .counter, "HTTP requests answered, by status code, method and route.")
        for (key, count) in state.requests.sorted(by: { $0.key.sortsBefore($1.key) }) {
            text.sample(
                "lora_http_requests_total", [("code", key.code), ("method", key.method), ("route", key.route)], Double(count)
            )
        }

        text.family("lora_job_duration_seconds", .histogram, "Time finished training jobs ran, from start to end.")
        text.histogram("lora_job_duration_seconds", [], state.jobDurations)

        text.family("lora_jobs_running", .gauge, "Training jobs running.")
        text.sample("lora_jobs_running", [], Double(state.running))

        text.family("lora_jobs_total", .counter, "Training jobs finished, by outcome (succeeded, failed, cancelled).")
        for (outcome, count) in state.jobs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            text.sample("lora_jobs_total", [("outcome", outcome.rawValue)], Double(count))
        }

        text.family("lora_queue_depth", .gauge, "Training jobs waiting in the queue.")
        text.sample("lora_queue_depth", [], Double(state.queueDepth))

        text.family("lora_train_loss", .gauge, "Training loss at the last step.")
        text.sample("lora_train_loss", [], state.loss)

        text.family(
            "lora_train_tokens_per_second", .gauge,
            "Training throughput at the last step of a running job, in tokens per second; 0 when idle."
        )
        text.sample("lora_train_tokens_per_second", [], state.tokensPerSecond)

        return text.output
    }
}
