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
    /// same generator and the same libm `log1p`, so the bits are the library's; the call into
    /// the library and the distribution's `switch` are saved on a hot path (the M/M/c loop,
    /// `QueueingNetwork+SingleStation.swift`, draws twice per customer). `RandomHandleExponentialTests`
    /// compares it with the library call.
    @inlinable @inline(__always)
    public func exponentialTime(mean: Double) -> SimTime {
        let u = gsl_rng_uniform(rng)
        return SimUnit.fromSeconds(-mean * log1p(-u))
    }
}
