/// The partition Kafka's producer picks for a record WITH a key.
///
/// Source (apache/kafka): `clients/src/main/java/org/apache/kafka/clients/producer/internals/BuiltInPartitioner.java`
/// `partitionForKey`: `Utils.toPositive(Utils.murmur2(serializedKey)) % numPartitions`, where
/// `numPartitions` counts ALL partitions of the topic (`cluster.partitionsForTopic`), available or
/// not, so a key keeps its partition while that partition's leader is down. `KafkaProducer.partition`
/// uses it when the record names no partition, no custom partitioner is configured and
/// `partitioner.ignore.keys` is false (the default). Same formula as kafka-python's
/// `DefaultPartitioner` and librdkafka's `murmur2_random` (not librdkafka's default `consistent_random`).
public enum KafkaKeyPartitioner {
    /// Partition for already-serialized key bytes.
    @inlinable @inline(__always)
    public static func partition(forHash hash: Int32, partitionCount: Int) -> Int {
        Int(KafkaMurmur2.toPositive(hash)) % partitionCount
    }

    /// Partition for already-serialized key bytes.
    @inlinable
    public static func partition(forKeyBytes key: UnsafeRawBufferPointer, partitionCount: Int) -> Int {
        partition(forHash: KafkaMurmur2.hash(key), partitionCount: partitionCount)
    }

    /// Partition for a `String` key sent with `StringSerializer` (UTF-8).
    @inlinable
    public static func partition(forStringKey key: String, partitionCount: Int) -> Int {
        partition(forHash: KafkaMurmur2.hash(string: key), partitionCount: partitionCount)
    }

    /// Partition for a `long` key sent with `LongSerializer` (8 bytes big-endian).
    /// - Complexity: O(1), no allocation.
    @inlinable @inline(__always)
    public static func partition(forLongKey key: Int64, partitionCount: Int) -> Int {
        partition(forHash: KafkaMurmur2.hash(int64: key), partitionCount: partitionCount)
    }

    /// Partition for an `int` key sent with `IntegerSerializer` (4 bytes big-endian).
    /// - Complexity: O(1), no allocation.
    @inlinable @inline(__always)
    public static func partition(forIntKey key: Int32, partitionCount: Int) -> Int {
        partition(forHash: KafkaMurmur2.hash(int32: key), partitionCount: partitionCount)
    }
}
