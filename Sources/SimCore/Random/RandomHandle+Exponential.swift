import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomHandle {
    /// An exponential draw with mean `mean` seconds, as virtual time: the value
    /// `Distribution.exponential(mean:).sampleTime(_:)` gives, computed in line.
    ///
    /// It is GSL's `gsl_ran_exponential` written out (GSL 2.7 `randist/exponential.c`:
    /// `u = gsl_rng_uniform(r); return -mu * log1p(-u);`), with the same uniform from the
    /// same generator (stepped in line, `MT19937`) and the same libm `log1p`, so the bits are
    /// the library's; the calls into the library and the distribution's `switch` are saved on
    /// a hot path (the M/M/c loop, `QueueingNetwork+SingleStation.swift`, draws twice per
    /// customer). `RandomHandleExponentialTests` compares it with the library call.
    @inlinable @inline(__always)
    public func exponentialTime(mean: Double) -> SimTime {
        SimUnit.fromSeconds(exponential(mean: mean))
    }

    /// An exponential draw with mean `mean` (`gsl_ran_exponential`, written out as above).
    @inlinable @inline(__always)
    public func exponential(mean: Double) -> Double {
        -mean * log1p(-MT19937.uniform(state))
    }
}
