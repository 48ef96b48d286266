import SimCore

/// A time series as the charts take it: times in seconds, values in `unit`. Built from a
/// `Report`'s series or read back from a report folder's series.csv.
public struct ChartSeries: Sendable {
    public var name: String
    public var unit: String
    public var seconds: [Double]
    public var values: [Double]

    public init(name: String, unit: String, seconds: [Double], values: [Double]) {
        self.name = name; self.unit = unit; self.seconds = seconds; self.values = values
    }

    public init(name: String, series s: RunMetrics.Series) {
        self.init(name: name, unit: s.unit, seconds: s.times.map(SimUnit.seconds), values: s.values)
    }
}
