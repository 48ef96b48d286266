/// Batched Kafka consumer polling (`kafka.consumer`), decoded by `PlatformConfig.decodeConsumer`.
/// Off unless `batched: true`: each record is then its own request, as before.
extension PlatformSchema {
    /// The consumer settings of apache/kafka `ConsumerConfig` (clients/src/main/java/org/apache/
    /// kafka/clients/consumer/ConsumerConfig.java): `max.poll.records` (default 500),
    /// `fetch.max.wait.ms` (default 500), `fetch.min.bytes` (default 1), counted here in records.
    static let kafkaConsumer = ObjectSchema("Consumer polling: each poll takes a batch of records (apache/kafka ConsumerConfig)", [
        Field("batched", .boolean, default: "false",
              "Consumers poll batches: one request per poll of up to max_poll_records records of one partition (false: one request per record)"),
        Field("max_poll_records", .integer(min: 1, max: 1_000_000), default: "500", "Records returned by one poll at most (max.poll.records, Kafka default 500)"),
        Field("fetch_max_wait", .duration(min: "1ms"), default: "500ms",
              "The broker answers a fetch with fewer than fetch_min_records records when this long has passed since the fetch was sent (fetch.max.wait.ms, Kafka default 500 ms)"),
        Field("fetch_min_records", .integer(min: 1, max: 1_000_000), default: "1",
              "The broker answers a fetch as soon as this many records are available (fetch.min.bytes counted in records; Kafka's default of 1 byte is 1 record)"),
        Field("batch_cpu", .duration, default: "0ms", "CPU per poll besides each record's own (fetch response decoding, offset commit)"),
        Field("batch_io", .duration, default: "0ms",
              "Time a poll's batch keeps its consumer busy off the CPU, once per batch (e.g. one pipelined Redis round trip for the batch's writes)"),
        Field("record_io", .duration, default: "0ms",
              "Time each record keeps its consumer busy off the CPU (e.g. one synchronous write per record, no pipelining)"),
        Field("loops_per_pod", .integer(min: 0, max: 1_000), default: "0",
              "Poll loops per pod (KafkaConsumer is single-threaded: one loop per consumer thread); a loop works one batch at a time, CPU then I/O. 0: each partition has its own loop (the pod's cores are the only limit)"),
    ])
}
