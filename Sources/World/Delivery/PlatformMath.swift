#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// libm, without Foundation, for the platform model's geometry and exponential draws.
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
