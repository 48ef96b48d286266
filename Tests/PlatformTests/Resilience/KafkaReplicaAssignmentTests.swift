import Testing
import Platform

/// Replica placement against apache/kafka `core/src/main/scala/kafka/admin/AdminUtils.scala`:
/// its scaladoc's worked example (5 brokers, 10 partitions, replication 3, start index and
/// shift 0) and a brute-force restatement of the rules it describes.
@Suite struct KafkaReplicaAssignmentTests {
    /// The scaladoc's table, column per broker: which partitions each holds as first, second
    /// and third replica.
    @Test func matchesTheAdminUtilsExample() {
        let a = KafkaReplicaAssignment.assign(partitions: 10, replicationFactor: 3, brokers: 5)
        let first = [[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]]
        let second = [[4, 8], [0, 9], [1, 5], [2, 6], [3, 7]]
        let third = [[3, 7], [4, 8], [0, 9], [1, 5], [2, 6]]
        for b in 0..<5 {
            #expect(Set((0..<10).filter { a[$0][0] == b }) == Set(first[b]), "broker \(b) first replicas")
            #expect(Set((0..<10).filter { a[$0][1] == b }) == Set(second[b]), "broker \(b) second replicas")
            #expect(Set((0..<10).filter { a[$0][2] == b }) == Set(third[b]), "broker \(b) third replicas")
        }
    }

    /// Brute force over small clusters: leaders round robin from the start index; each
    /// partition's replicas distinct; the follower shift grows by one every `brokers` partitions,
    /// so the followers of one broker's leaders land on different brokers while the shift lasts.
    @Test func bruteForceRules() {
        for n in 1...6 {
            for rf in 1...n {
                for start in 0..<n {
                    let a = KafkaReplicaAssignment.assign(partitions: 3 * n + 1, replicationFactor: rf, brokers: n, startIndex: start, firstShift: 0)
                    for (p, replicas) in a.enumerated() {
                        #expect(replicas.count == rf && Set(replicas).count == rf)
                        #expect(replicas[0] == (p + start) % n)
                        if rf > 1 {
                            let shift = p / n
                            #expect(replicas[1] == (replicas[0] + 1 + shift % (n - 1)) % n)
                        }
                    }
                }
            }
        }
    }
}

/// Redis Cluster key slots against Redis: the CRC16 check value of the cluster specification
/// (CRC16-XMODEM of "123456789" is 0x31C3), `CLUSTER KEYSLOT` answers from the Redis command
/// documentation, the hash-tag rule, and the slot ranges `redis-cli --cluster create` prints for
/// three masters (0-5460, 5461-10922, 10923-16383).
@Suite struct RedisClusterSlotsTests {
    @Test func crcAndKeySlots() {
        #expect(RedisClusterSlots.crc16(Array("123456789".utf8)) == 0x31C3)
        #expect(RedisClusterSlots.hashSlot(Array("somekey".utf8)) == 11058)
        #expect(RedisClusterSlots.hashSlot(Array("foo{hash_tag}".utf8)) == 2515)
        #expect(RedisClusterSlots.hashSlot(Array("{user1000}.following".utf8)) == RedisClusterSlots.hashSlot(Array("user1000".utf8)))
        // An empty tag hashes the whole key.
        #expect(RedisClusterSlots.hashSlot(Array("foo{}bar".utf8)) == Int(RedisClusterSlots.crc16(Array("foo{}bar".utf8)) & 0x3FFF))
    }

    @Test func slotRangesAsRedisCli() {
        let three = RedisClusterSlots(nodes: 3)
        #expect(three.starts == [0, 5461, 10923])
        #expect((0..<3).map(three.slots(of:)) == [5461, 5462, 5461])
        #expect(three.node(ofSlot: 5460) == 0 && three.node(ofSlot: 5461) == 1 && three.node(ofSlot: 16383) == 2)
        for n in [1, 2, 5, 6, 7, 16] {
            let s = RedisClusterSlots(nodes: n)
            #expect((0..<n).map(s.slots(of:)).reduce(0, +) == 16384)
            #expect((0..<n).allSatisfy { abs(s.slots(of: $0) - 16384 / n) <= 1 })
        }
    }

    /// A node's share of 100,000 menu keys is its slot share: binomial standard deviation
    /// sqrt(p(1 − p)/N) ≤ 0.0016, so 0.0065 is four of them.
    @Test func keysSpreadAsSlots() {
        for n in [3, 6] {
            let s = RedisClusterSlots(nodes: n)
            var counts = Array(repeating: 0, count: n)
            for key in 0..<100_000 { counts[s.node(ofSlot: RedisClusterSlots.menuSlot(key))] += 1 }
            for i in 0..<n {
                #expect(abs(Double(counts[i]) / 100_000 - Double(s.slots(of: i)) / 16384) < 0.0065)
            }
        }
    }
}
