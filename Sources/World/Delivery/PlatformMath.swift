#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Platform
import SimCore

// libm, without Foundation, for the platform model's geometry and exponential draws.
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func _log(_ x: Double) -> Double { log(x) }

/// Positions on the city map (equirectangular offsets), shared by demand and couriers.
enum PlatformMath {
    /// A uniform point of the disc of `radius` metres around `centre` (equirectangular offset).
    static func offset(_ centre: DispatchPosition, uniformDiscOf radius: Double, _ stream: RandomStream) -> DispatchPosition {
        let d = radius * stream.uniform().squareRoot()
        let a = 2 * Double.pi * stream.uniform()
        return offset(centre, east: d * _cos(a), north: d * _sin(a))
    }

    static func offset(_ p: DispatchPosition, east: Double, north: Double) -> DispatchPosition {
        let lat = p.latitude + north / 111_320
        let lon = p.longitude + east / (111_320 * _cos(p.latitude * Double.pi / 180))
        return DispatchPosition(longitude: lon, latitude: max(-85, min(85, lat)))
    }
}
