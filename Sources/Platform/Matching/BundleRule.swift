/// How `Bundler.makeBundles` forms same-restaurant bundles (`BundlingPolicy.rule`).
public enum BundleRule: Hashable, Sendable {
    /// The earliest-ready order seeds a bundle; the next ones by ready time join while their
    /// food is ready within `readyWindow` of it; drop-offs follow `sequencing`. The bundle waits
    /// at the counter for its last order's food and may hand an older order over after a
    /// younger one.
    case readyWindow
    /// No order is made later by a younger one (the rule for a dispatch hold, which offers
    /// orders when their food is nearly ready, so orders of one restaurant meet in the pool by
    /// ready time whatever their age): the oldest unbundled order (placement time) seeds a
    /// bundle and is handed over first; a younger order joins, handed over after those already
    /// in (placement order), only if
    /// 1. its food is ready no later than the seed's and at most `readyWindow` earlier (the
    ///    pick-up stays the seed's own: no added wait at the counter), and
    /// 2. its click-to-door at its hand-over is no longer than the seed's at the seed's (its
    ///    added drop-off time fits in how much younger it is).
    /// So, with any courier, no order in a bundle is handed over later than it would be in
    /// the bundle of itself and the older orders, and no bundled order takes longer, click to
    /// door, than the bundle's oldest order alone. `sequencing` is not used.
    case oldestFirst
}
