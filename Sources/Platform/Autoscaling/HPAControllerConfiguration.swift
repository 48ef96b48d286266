/// Controller-wide settings of the HPA controller (kube-controller-manager flags).
///
/// Defaults from kubernetes/kubernetes `pkg/controller/podautoscaler/config/v1alpha1/defaults.go`
/// and `horizontal.go` (`scaleUpLimitFactor`, `scaleUpLimitMinimum`).
public struct HPAControllerConfiguration: Sendable, Equatable {
    /// `--horizontal-pod-autoscaler-sync-period` (15 s): how often each HPA is reconciled.
    /// Informational here: the caller schedules `reconcile`.
    public var syncPeriod: Nanoseconds
    /// `--horizontal-pod-autoscaler-tolerance` (0.1): no change while the usage ratio is within
    /// [1 - tolerance, 1 + tolerance]; the default of both per-direction tolerances.
    public var tolerance: Double
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min).
    public var cpuInitializationPeriod: Nanoseconds
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s).
    public var initialReadinessDelay: Nanoseconds
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (5 min): the legacy window, and the
    /// default `behavior.scaleDown.stabilizationWindowSeconds`.
    public var downscaleStabilizationWindow: Nanoseconds
    /// Legacy (no `behavior`) scale-up cap: `max(factor * current, minimum)` (2.0).
    public var scaleUpLimitFactor: Double
    /// Legacy scale-up cap minimum (4.0).
    public var scaleUpLimitMinimum: Double

    public init(syncPeriod: Nanoseconds = 15 * TimeUnit.second,
                tolerance: Double = 0.1,
                cpuInitializationPeriod: Nanoseconds = 5 * TimeUnit.minute,
                initialReadinessDelay: Nanoseconds = 30 * TimeUnit.second,
                downscaleStabilizationWindow: Nanoseconds = 5 * TimeUnit.minute,
                scaleUpLimitFactor: Double = 2.0,
                scaleUpLimitMinimum: Double = 4.0) {
        precondition(tolerance >= 0)
        self.syncPeriod = syncPeriod
        self.tolerance = tolerance
        self.cpuInitializationPeriod = cpuInitializationPeriod
        self.initialReadinessDelay = initialReadinessDelay
        self.downscaleStabilizationWindow = downscaleStabilizationWindow
        self.scaleUpLimitFactor = scaleUpLimitFactor
        self.scaleUpLimitMinimum = scaleUpLimitMinimum
    }

    /// The kube-controller-manager defaults.
    public static var kubernetesDefaults: HPAControllerConfiguration { HPAControllerConfiguration() }
}
