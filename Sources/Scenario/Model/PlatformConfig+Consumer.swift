import SimCore

extension PlatformConfig {
    /// `kafka.consumer`: batched polling (off by default: one request per record).
    public struct KafkaConsumer: Sendable, Equatable {
        public var batched = false
        /// `max.poll.records`.
        public var maxPollRecords = 500
        /// `fetch.max.wait.ms`.
        public var fetchMaxWait: SimTime = 500 * SimUnit.millisecond
        /// `fetch.min.bytes`, counted in records.
        public var fetchMinRecords = 1
        /// CPU per poll on top of each record's own.
        public var batchCPU: SimTime = 0
        /// Time a poll's batch holds its consumer off the CPU (one pipelined round trip per batch).
        public var batchIO: SimTime = 0
        /// Time each record holds its consumer off the CPU (a synchronous round trip per record).
        public var recordIO: SimTime = 0
        /// Poll loops (KafkaConsumer threads) per pod; 0: each partition its own loop.
        public var loopsPerPod = 0
        public init() {}
    }

    static func decodeConsumer(_ config: inout PlatformConfig, kafka: SchemaReader) {
        let c = kafka.object("consumer")
        config.consumer.batched = c.bool("batched")
        config.consumer.maxPollRecords = c.int("max_poll_records")
        config.consumer.fetchMaxWait = c.duration("fetch_max_wait")
        config.consumer.fetchMinRecords = c.int("fetch_min_records")
        config.consumer.batchCPU = c.duration("batch_cpu")
        config.consumer.batchIO = c.duration("batch_io")
        config.consumer.recordIO = c.duration("record_io")
        config.consumer.loopsPerPod = c.int("loops_per_pod")
    }
}
