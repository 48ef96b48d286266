/// The values of a `Pods` metric as the custom metrics API returns them: one per pod, in the
/// order of the `pods` array given to `reconcile` (`nil` = no value for that pod, which the
/// controller counts as a missing metric).
public struct HPAPodMetricReading: Sendable, Equatable {
    public var name: String
    /// Milli-units per pod; `values.count` must equal the number of pods.
    public var values: [Int64?]

    public init(name: String, values: [Int64?]) {
        self.name = name
        self.values = values
    }
}

/// The series of an `External` metric as the external metrics API returns them (e.g. the lag
/// of each partition of a topic for one consumer group); the controller sums them. An empty
/// list is the API's "no metrics returned from external metrics API".
public struct HPAExternalMetricReading: Sendable, Equatable {
    public var name: String
    /// Milli-units per series.
    public var values: [Int64]

    public init(name: String, values: [Int64]) {
        self.name = name
        self.values = values
    }

    /// One series with the given total.
    public init(name: String, total: Int64) {
        self.init(name: name, values: [total])
    }
}

/// The metric values a reconcile reads besides the pods' resource metrics: what the custom
/// metrics API (`Pods` metrics) and the external metrics API (`External` metrics) return at
/// that moment. A metric of the spec with no reading here fails as the API would when it
/// returns nothing ("no metrics returned from ... metrics API"), which makes that metric
/// invalid for this reconcile (`computeReplicasForMetrics` then uses the others).
///
/// Readings are looked up by name with a linear scan (a few entries), so no hashing order
/// reaches a decision. A caller that reconciles often can keep one value and overwrite the
/// values in place (`setExternal`, `setPodValues`) so no array is reallocated.
public struct HPAMetricReadings: Sendable, Equatable {
    public var podMetrics: [HPAPodMetricReading]
    public var externalMetrics: [HPAExternalMetricReading]

    public init(podMetrics: [HPAPodMetricReading] = [], externalMetrics: [HPAExternalMetricReading] = []) {
        self.podMetrics = podMetrics
        self.externalMetrics = externalMetrics
    }

    /// No custom or external metric values.
    public static var none: HPAMetricReadings { HPAMetricReadings() }

    /// The reading of the `Pods` metric `name`, if any.
    public func podMetric(_ name: String) -> HPAPodMetricReading? {
        for m in podMetrics where m.name == name { return m }
        return nil
    }

    /// The reading of the `External` metric `name`, if any.
    public func externalMetric(_ name: String) -> HPAExternalMetricReading? {
        for m in externalMetrics where m.name == name { return m }
        return nil
    }

    /// Sets the `External` metric `name` to one series of `total` milli-units (adds the reading
    /// the first time; later calls reuse its storage).
    public mutating func setExternal(_ name: String, total: Int64) {
        for i in externalMetrics.indices where externalMetrics[i].name == name {
            externalMetrics[i].values.removeAll(keepingCapacity: true)
            externalMetrics[i].values.append(total)
            return
        }
        externalMetrics.append(HPAExternalMetricReading(name: name, total: total))
    }

    /// Removes the `External` metric `name` (the API then returns nothing for it).
    public mutating func removeExternal(_ name: String) {
        externalMetrics.removeAll { $0.name == name }
    }

    /// Gives mutable access to the per-pod values of the `Pods` metric `name`, emptied (the
    /// reading is added the first time); the closure appends one value per pod.
    public mutating func setPodValues(_ name: String, _ fill: (inout [Int64?]) -> Void) {
        for i in podMetrics.indices where podMetrics[i].name == name {
            podMetrics[i].values.removeAll(keepingCapacity: true)
            fill(&podMetrics[i].values)
            return
        }
        var values: [Int64?] = []
        fill(&values)
        podMetrics.append(HPAPodMetricReading(name: name, values: values))
    }
}
