import CGSL

/// One independent stream of random numbers: a GSL MT19937 generator.
///
/// Every named component of a model draws from its own stream, so changing how often one
/// component draws (or adding a component) leaves every other component's draws unchanged:
/// two variants of a scenario then run on common random numbers and compare fairly.
/// Uniform draws step the generator in line (`MT19937`); GSL's samplers step the same state
/// through the library. Not thread-safe; each replication builds its own streams.
public final class RandomStream {
    @usableFromInline internal let rng: UnsafeMutablePointer<gsl_rng>
    /// GSL's `mt_state_t` behind `rng`, stepped in line by `MT19937`.
    @usableFromInline internal let state: UnsafeMutableRawPointer
    /// The 32-bit seed this stream was started with (non-zero).
    public let seed: UInt32

    /// A stream seeded with a non-zero 32-bit value (GSL maps 0 to 4357, so 0 is refused
    /// to keep seeds one-to-one).
    public init(seed: UInt32) {
        precondition(seed != 0, "MT19937 seed 0 aliases seed 4357; derive seeds with StreamSeeder")
        guard let r = gsl_rng_alloc(cgsl_rng_mt19937()) else { fatalError("gsl_rng_alloc failed: out of memory") }
        precondition(MT19937.layoutMatches(r), "GSL's mt19937 state is not the mt_state_t of GSL 2.x rng/mt.c")
        rng = r
        state = r.pointee.state
        self.seed = seed
        gsl_rng_set(rng, UInt(seed))
    }

    deinit { gsl_rng_free(rng) }

    /// A non-owning handle to this stream's generator, for hot paths: copying it costs no
    /// reference counting. Valid only while the stream is alive; the owner keeps the stream.
    @inlinable public var handle: RandomHandle { RandomHandle(rng: rng, state: state) }

    /// Uniform on [0, 1) (`gsl_rng_uniform`). - Complexity: O(1), one generator step.
    @inlinable public func uniform() -> Double { MT19937.uniform(state) }

    /// Uniform on (0, 1): never exactly 0, for logarithms (`gsl_rng_uniform_pos`).
    @inlinable public func uniformPositive() -> Double {
        var x: Double
        repeat { x = MT19937.uniform(state) } while x == 0
        return x
    }

    /// Uniform integer in 0..<n (n ≥ 1), without modulo bias.
    @inlinable public func integer(below n: Int) -> Int {
        precondition(n >= 1 && n <= Int(UInt32.max))
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// The generator's raw 32-bit output (`gsl_rng_get`).
    @inlinable public func next32() -> UInt32 { MT19937.next(state) }

    /// Bernoulli trial with success probability `p`.
    @inlinable public func bernoulli(_ p: Double) -> Bool { MT19937.uniform(state) < p }
}

/// A non-owning, trivially copyable reference to a `RandomStream`'s generator (see
/// `RandomStream.handle`). Draws through it advance the stream exactly as the stream's own
/// methods do.
@frozen
public struct RandomHandle {
    @usableFromInline internal let rng: UnsafeMutablePointer<gsl_rng>
    @usableFromInline internal let state: UnsafeMutableRawPointer
    @inlinable init(rng: UnsafeMutablePointer<gsl_rng>, state: UnsafeMutableRawPointer) {
        self.rng = rng
        self.state = state
    }

    /// Uniform on [0, 1).
    @inlinable public func uniform() -> Double { MT19937.uniform(state) }
}
