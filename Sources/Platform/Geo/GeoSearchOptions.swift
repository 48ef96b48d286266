/// `ASC` / `DESC` / neither.
public enum GeoSortOrder: Sendable, Hashable {
    /// No `ASC`/`DESC`: scan order (cell order centre, N, S, E, W, NE, NW, SE, SW; within a cell by
    /// score, then member) — unless `COUNT` is given without `ANY`, which implies ascending.
    case unsorted
    case ascending
    case descending
}

/// The optional arguments of `GEOSEARCH` that change which members come back and in what order:
/// `ASC|DESC`, `COUNT n [ANY]`. (`WITHDIST`, `WITHCOORD` and `WITHHASH` cost nothing extra here: every
/// `GeoSearchResult` carries the distance, coordinates and score.)
public struct GeoSearchOptions: Sendable, Hashable {
    public var order: GeoSortOrder
    /// `COUNT n`; nil returns every match. Must be > 0.
    public var count: Int?
    /// `ANY`: stop scanning once `count` matches are found (so closer members in later cells can be
    /// missed); requires `count`.
    public var any: Bool

    @inlinable
    public init(order: GeoSortOrder = .unsorted, count: Int? = nil, any: Bool = false) {
        self.order = order
        self.count = count
        self.any = any
    }
}
