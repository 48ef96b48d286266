/// A planar uniform-grid index of couriers (positions in metres) answering
/// `CandidateSource` queries by scanning rings of cells outwards from the centre.
///
/// The grid covers `[minX, maxX] x [minY, maxY]`; positions outside are stored in the edge
/// cells (clamping keeps "a point inside the query box lies in a scanned cell" true), so
/// the index is correct everywhere and merely slower far outside its bounds.
///
/// Search: ring k holds the cells at Chebyshev distance k from the centre's cell. After
/// ring k, every unscanned courier is at least `safe` metres away, `safe` being the
/// distance from the centre to the nearest side of the scanned block (a side lying on the
/// grid edge counts as infinitely far). Scanning stops once `limit` found couriers are
/// strictly nearer than `safe` (strictly, so an unseen courier at exactly `safe` with a
/// smaller id is not missed), or when the block covers the radius. Found couriers are then
/// sorted by (distance, id) and cut to `limit`, so the answer does not depend on the order
/// couriers were inserted or moved.
///
/// - Complexity: O(c + m log m) per query, c = cells scanned, m = couriers in them;
///   O(1) amortised `upsert` / `remove`.
public struct UniformGridCandidateSource: CandidateSource {
    @usableFromInline
    struct _Slot {
        @usableFromInline var id: Int
        @usableFromInline var position: DispatchPosition
        @inlinable init(id: Int, position: DispatchPosition) {
            self.id = id
            self.position = position
        }
    }

    public let minX: Double
    public let minY: Double
    public let cellSizeMeters: Double
    public let columns: Int
    public let rows: Int
    @usableFromInline var _cells: [[_Slot]]
    /// id -> (cell, index in cell). Only looked up, never iterated.
    @usableFromInline var _where: [Int: (cell: Int, slot: Int)]

    /// - Parameters:
    ///   - cellSizeMeters: about the typical query radius divided by 2-4 works well.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double, cellSizeMeters: Double) {
        precondition(cellSizeMeters > 0 && maxX >= minX && maxY >= minY, "invalid grid")
        self.minX = minX
        self.minY = minY
        self.cellSizeMeters = cellSizeMeters
        self.columns = max(1, Int(((maxX - minX) / cellSizeMeters).rounded(.up)))
        self.rows = max(1, Int(((maxY - minY) / cellSizeMeters).rounded(.up)))
        precondition(columns <= 1 << 15 && rows <= 1 << 15, "grid too fine")
        self._cells = Array(repeating: [], count: columns * rows)
        self._where = [:]
    }

    /// Number of couriers indexed.
    public var count: Int { _where.count }

    @inlinable @inline(__always)
    func _column(_ x: Double) -> Int {
        let c = ((x - minX) / cellSizeMeters).rounded(.down)
        return c <= 0 ? 0 : (c >= Double(columns - 1) ? columns - 1 : Int(c))
    }

    @inlinable @inline(__always)
    func _row(_ y: Double) -> Int {
        let r = ((y - minY) / cellSizeMeters).rounded(.down)
        return r <= 0 ? 0 : (r >= Double(rows - 1) ? rows - 1 : Int(r))
    }

    /// Adds a courier, or moves it if already present.
    public mutating func upsert(courierID: Int, at position: DispatchPosition) {
        let cell = _row(position.y) * columns + _column(position.x)
        if let w = _where[courierID] {
            if w.cell == cell {
                _cells[cell][w.slot].position = position
                return
            }
            _removeSlot(cell: w.cell, slot: w.slot)
        }
        _where[courierID] = (cell, _cells[cell].count)
        _cells[cell].append(_Slot(id: courierID, position: position))
    }

    /// Removes a courier; returns whether it was present.
    @discardableResult
    public mutating func remove(courierID: Int) -> Bool {
        guard let w = _where.removeValue(forKey: courierID) else { return false }
        _removeSlot(cell: w.cell, slot: w.slot)
        return true
    }

    mutating func _removeSlot(cell: Int, slot: Int) {
        let last = _cells[cell].count - 1
        if slot != last {
            let moved = _cells[cell][last]
            _cells[cell][slot] = moved
            _where[moved.id] = (cell, slot)
        }
        _cells[cell].removeLast()
    }

    @inlinable @inline(__always)
    func _scan(cell: Int, center: DispatchPosition, radiusMeters: Double, into result: inout [DispatchCandidate]) {
        for s in _cells[cell] {
            let d = PlanarMetric().distanceMeters(from: center, to: s.position)
            if d <= radiusMeters {
                result.append(DispatchCandidate(courierID: s.id, position: s.position, distanceMeters: d))
            }
        }
    }

    @inlinable
    public func candidates(
        near center: DispatchPosition, radiusMeters: Double, limit: Int,
        into result: inout [DispatchCandidate]
    ) {
        result.removeAll(keepingCapacity: true)
        guard limit > 0, radiusMeters >= 0, !_where.isEmpty else { return }
        let cx = _column(center.x), cy = _row(center.y)
        let x0 = _column(center.x - radiusMeters), x1 = _column(center.x + radiusMeters)
        let y0 = _row(center.y - radiusMeters), y1 = _row(center.y + radiusMeters)
        let maxRing = Swift.max(cx - x0, x1 - cx, cy - y0, y1 - cy)
        var k = 0
        while k <= maxRing {
            // Cells of ring k inside the radius box.
            let lx = Swift.max(cx - k, x0), hx = Swift.min(cx + k, x1)
            let ly = Swift.max(cy - k, y0), hy = Swift.min(cy + k, y1)
            var gy = ly
            while gy <= hy {
                if gy == cy - k || gy == cy + k {
                    var gx = lx
                    while gx <= hx {
                        _scan(cell: gy * columns + gx, center: center, radiusMeters: radiusMeters, into: &result)
                        gx += 1
                    }
                } else {
                    // Only the left and right sides of the ring; its interior is earlier rings.
                    if cx - k >= x0 {
                        _scan(cell: gy * columns + cx - k, center: center, radiusMeters: radiusMeters, into: &result)
                    }
                    if k > 0 && cx + k <= x1 {
                        _scan(cell: gy * columns + cx + k, center: center, radiusMeters: radiusMeters, into: &result)
                    }
                }
                gy += 1
            }
            if limit != Int.max && result.count >= limit {
                let inf = Double.infinity
                let left = cx - k <= 0 ? inf : center.x - (minX + Double(cx - k) * cellSizeMeters)
                let right = cx + k >= columns - 1 ? inf : (minX + Double(cx + k + 1) * cellSizeMeters) - center.x
                let down = cy - k <= 0 ? inf : center.y - (minY + Double(cy - k) * cellSizeMeters)
                let up = cy + k >= rows - 1 ? inf : (minY + Double(cy + k + 1) * cellSizeMeters) - center.y
                // 1 um below the exact side distance absorbs rounding in the cell arithmetic.
                let safe = Swift.min(left, right, down, up) - 1e-6
                var sure = 0
                for c in result where c.distanceMeters < safe { sure += 1 }
                if sure >= limit { break }
            }
            k += 1
        }
        result.sort(by: DispatchCandidate.nearerFirst)
        if result.count > limit { result.removeLast(result.count - limit) }
    }
}
