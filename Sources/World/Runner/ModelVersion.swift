/// The version of the world model's behaviour, written into every report
/// (`model_version`) so that `capsim check` and `capsim compare` can tell a model change from
/// a regression.
///
/// Rule: bump `current` in the same commit as any change that alters what a bundled
/// scenario measures for the same seed (an event's timing or order, a distribution, a new
/// random draw, a routing or scaling decision). Changes that only add report output (a new
/// series, a new finding's wording) leave it alone.
public enum ModelVersion {
    /// 1: the first versioned model (per-interval level series, latency series, markers).
    public static let current = 1
}
