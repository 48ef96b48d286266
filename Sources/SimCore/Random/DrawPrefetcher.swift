/// The run's `PrefetchedDraws`, filled by whichever thread waits at a window barrier
/// (`LookaheadWindows`'s `idle`): the light regions' thread computes the busiest region's
/// draws ahead instead of spinning. Register every buffer before the threads start.
public final class DrawPrefetcher: @unchecked Sendable {
    private var buffers: [PrefetchedDraws] = []

    public init() {}

    /// A new ring of `draw` (see `PrefetchedDraws`), filled from now on by `fillSome`.
    public func buffer(capacity: Int = 4096, _ draw: @escaping () -> SimTime) -> PrefetchedDraws {
        let b = PrefetchedDraws(capacity: capacity, draw)
        buffers.append(b)
        return b
    }

    public var count: Int { buffers.count }

    /// Computes up to `chunk` draws into the ring with the most free room, if any has at least
    /// half a chunk free. False when there was nothing to do (or the ring was being drawn from).
    /// - Complexity: O(buffers + chunk).
    public func fillSome(chunk: Int = 64) -> Bool {
        var best = -1, most = chunk / 2
        for i in buffers.indices {
            let r = buffers[i].room
            if r >= most { most = r; best = i }
        }
        guard best >= 0 else { return false }
        return buffers[best].fill(upTo: chunk) > 0
    }
}
