import SimCore

extension Services {
    /// The CPU request `req` needs on a core of `pool`: one draw of its type, times `units`
    /// for a match run (CPU per open order); for a consumer poll's batch
    /// (`kafka.consumer.batched`), `pollCPU` plus one draw per record, so a batch of one
    /// without `batch_cpu` costs what an unbatched record does (the same single draw).
    @inline(__always) func cpuDemand(_ req: Request, _ pool: ServicePool) -> SimTime {
        let type = req.kind.cpuType
        var d = pool.drawCPU(type)
        if req.kind.isBatch {
            d = min(d + pollCPU, 1 << 62)
            for _ in 1..<max(1, req.units) { d = min(d + pool.drawCPU(type), 1 << 62) }
        } else if req.units > 1 {
            // Saturating: a (clamped) extreme draw times many units must not trap the run.
            d = d.multipliedReportingOverflow(by: SimTime(req.units)).overflow ? 1 << 62 : min(d * SimTime(req.units), 1 << 62)
        }
        return d
    }
}
