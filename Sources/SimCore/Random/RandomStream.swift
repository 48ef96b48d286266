import CGSL

/// One independent stream of random numbers: a GSL MT19937 generator.
///
/// Every named component of a model draws from its own stream, so changing how often one
/// component draws (or adding a component) leaves every other component's draws unchanged:
/// two variants of a scenario then run on common random numbers and compare fairly.
/// Not thread-safe; each replication builds its own streams.
public final class RandomStream {
    @usableFromInline internal let rng: UnsafeMutablePointer<gsl_rng>
    /// The 32-bit seed this stream was started with (non-zero).
    public let seed: UInt32

    /// A stream seeded with a non-zero 32-bit value (GSL maps 0 to 4357, so 0 is refused
    /// to keep seeds one-to-one).
    public init(seed: UInt32) {
        precondition(seed != 0, "MT19937 seed 0 aliases seed 4357; derive seeds with StreamSeeder")
        guard let r = gsl_rng_alloc(cgsl_rng_mt19937()) else { fatalError("gsl_rng_alloc failed: out of memory") }
        rng = r
        self.seed = seed
        gsl_rng_set(rng, UInt(seed))
    }

    deinit { gsl_rng_free(rng) }

    /// A non-owning handle to this stream's generator, for hot paths: copying it costs no
    /// reference counting. Valid only while the stream is alive; the owner keeps the stream.
    @inlinable public var handle: RandomHandle { RandomHandle(rng: rng) }

    /// Uniform on [0, 1). - Complexity: O(1), one generator step.
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Uniform on (0, 1): never exactly 0, for logarithms.
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// Uniform integer in 0..<n (n ≥ 1), without modulo bias.
    @inlinable public func integer(below n: Int) -> Int {
        precondition(n >= 1 && n <= Int(UInt32.max))
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// The generator's raw 32-bit output.
    @inlinable public func next32() -> UInt32 { UInt32(truncatingIfNeeded: gsl_rng_get(rng)) }

    /// Bernoulli trial with success probability `p`.
    @inlinable public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(rng) < p }
}

/// A non-owning, trivially copyable reference to a `RandomStream`'s generator (see
/// `RandomStream.handle`). Draws through it advance the stream exactly as the stream's own
/// methods do.
@frozen
public struct RandomHandle {
    @usableFromInline internal let rng: UnsafeMutablePointer<gsl_rng>
    @inlinable init(rng: UnsafeMutablePointer<gsl_rng>) { self.rng = rng }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }
}
