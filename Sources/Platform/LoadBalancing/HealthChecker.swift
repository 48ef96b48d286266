/// Result of one health probe, as the caller observed it.
public enum ProbeOutcome: Sendable, Equatable {
    /// Expected response (HTTP 2xx/3xx for HAProxy and Kubernetes, 200 for Envoy by default).
    case success
    /// A response, but the wrong one (e.g. HTTP 503). Envoy ejects at once on this.
    case failure
    /// No response within the timeout, or a connection error.
    case timeout
}

/// A probe the caller must send now and later answer with ``HealthChecker/report(_:_:now:)``.
public struct HealthProbe: Sendable, Equatable {
    public let backend: Int
    /// Distinguishes this probe from earlier ones of the same backend (late answers are dropped).
    public let sequence: UInt64
    public let sentAt: Instant
    /// Without a report by then the probe counts as timed out.
    public let deadline: Instant
}

/// A backend entering (`healthy == true`) or leaving rotation.
public struct HealthTransition: Sendable, Equatable {
    public let backend: Int
    public let healthy: Bool
    public let at: Instant
    public init(backend: Int, healthy: Bool, at: Instant) {
        self.backend = backend
        self.healthy = healthy
        self.at = at
    }
}

/// Active health checking without blocking: it says which backends to probe and when, the caller
/// performs the probes (in the simulator: events) and reports what happened.
///
/// Loop: call ``poll(now:probes:transitions:)`` at ``nextEventTime()``; send each returned probe;
/// report each outcome with ``report(_:_:now:)``, or let the deadline pass (the next poll records a
/// timeout at the deadline). Apply returned ``HealthTransition``s to the balancer with
/// ``LoadBalancer/setDown(_:_:)``. The rules are those of ``HealthCheckConfig`` (HAProxy's health
/// counter, `src/check.c`); probes are scheduled per `HealthCheckConfig.Scheduling`, with HAProxy's
/// `srv_getinter` choice of `inter` (fully up), `downinter` (fully down) or `fastinter` (between).
///
/// Determinism: events are ordered by (time, scheduling sequence); a backend's first probe is due
/// at `firstProbeAt` (default: when it is added). No dictionary order reaches any output.
public final class HealthChecker {
    public let config: HealthCheckConfig

    struct State {
        var health: Int
        var inFlight: HealthProbe?
        /// Sequence of the one heap event that is current for this backend.
        var pendingSeq: UInt64
        var lastSent: Instant
    }

    struct Event {
        var time: Instant
        var seq: UInt64
        var backend: Int
        func precedes(_ o: Event) -> Bool { time < o.time || (time == o.time && seq < o.seq) }
    }

    var states: [Int: State] = [:]
    var heap: [Event] = []
    var nextSeq: UInt64 = 0
    var maxHealth: Int { config.healthyThreshold + config.unhealthyThreshold - 1 }

    public init(config: HealthCheckConfig = .seedDefault) {
        self.config = config
    }

    /// Starts checking `id`, in the configured initial state; its first probe is due at `firstProbeAt`.
    public func addBackend(_ id: Int, now: Instant, firstProbeAt: Instant? = nil) {
        precondition(states[id] == nil, "backend \(id) is already checked")
        let rise = config.healthyThreshold
        let health: Int
        switch config.initialState {
        case .fullyUp: health = maxHealth
        case .up: health = rise
        case .down: health = rise - 1
        case .fullyDown: health = 0
        }
        states[id] = State(health: health, inFlight: nil, pendingSeq: 0, lastSent: now)
        schedule(id, at: firstProbeAt ?? now)
    }

    /// Stops checking `id`; an answer to its outstanding probe is then ignored.
    public func removeBackend(_ id: Int) {
        states[id] = nil
    }

    /// Whether `id` is in rotation (nil when not checked).
    public func isHealthy(_ id: Int) -> Bool? {
        states[id].map { $0.health >= config.healthyThreshold }
    }

    /// HAProxy's health counter of `id` (0...rise+fall-1).
    public func healthCounter(_ id: Int) -> Int? { states[id]?.health }

    /// The probe of `id` awaiting an answer, if any.
    public func outstandingProbe(_ id: Int) -> HealthProbe? { states[id]?.inFlight }

    /// When ``poll(now:probes:transitions:)`` next has work (a probe due or a deadline), or nil.
    public func nextEventTime() -> Instant? {
        dropStale()
        return heap.first?.time
    }

    /// Handles everything due at or before `now`, in time order: appends the probes to send and
    /// the transitions caused by timeouts. The arrays are only appended to, so a caller can reuse them.
    /// - Complexity: O(k log n) for k events.
    public func poll(now: Instant, probes: inout [HealthProbe], transitions: inout [HealthTransition]) {
        while true {
            dropStale()
            guard let top = heap.first, top.time <= now else { return }
            popTop()
            guard var st = states[top.backend] else { continue }
            if let probe = st.inFlight {
                // The deadline passed without an answer.
                st.inFlight = nil
                states[top.backend] = st
                if let tr = apply(.timeout, to: top.backend, at: probe.deadline, sentAt: probe.sentAt) {
                    transitions.append(tr)
                }
            } else {
                let probe = HealthProbe(backend: top.backend, sequence: nextSeq, sentAt: now,
                                        deadline: now + config.timeout)
                st.inFlight = probe
                st.lastSent = now
                states[top.backend] = st
                schedule(top.backend, at: probe.deadline)
                probes.append(probe)
            }
        }
    }

    /// Records the outcome of `probe` observed at `now`. Answers after the deadline count as a
    /// timeout at the deadline; answers to a probe that is no longer outstanding are ignored.
    /// - Returns: the transition this caused, if any.
    @discardableResult
    public func report(_ probe: HealthProbe, _ outcome: ProbeOutcome, now: Instant) -> HealthTransition? {
        guard var st = states[probe.backend], let current = st.inFlight, current.sequence == probe.sequence
        else { return nil }
        st.inFlight = nil
        states[probe.backend] = st
        if now > current.deadline {
            return apply(.timeout, to: probe.backend, at: current.deadline, sentAt: current.sentAt)
        }
        return apply(outcome, to: probe.backend, at: now, sentAt: current.sentAt)
    }

    /// Applies one result to the health counter and schedules the next probe.
    func apply(_ outcome: ProbeOutcome, to id: Int, at time: Instant, sentAt: Instant) -> HealthTransition? {
        guard var st = states[id] else { return nil }
        let rise = config.healthyThreshold
        let wasHealthy = st.health >= rise
        switch outcome {
        case .success:
            if st.health < maxHealth {
                st.health += 1
                if st.health >= rise { st.health = maxHealth }
            }
        case .failure where config.failureEjectsImmediately:
            st.health = 0
        case .failure, .timeout:
            if st.health > 0 {
                st.health -= 1
                if st.health < rise { st.health = 0 }
            }
        }
        states[id] = st
        let gap = interval(forHealth: st.health)
        switch config.scheduling {
        case .afterCompletion: schedule(id, at: time + gap)
        case .fixedPeriod: schedule(id, at: max(sentAt + gap, time))
        }
        let isHealthy = st.health >= rise
        return isHealthy == wasHealthy ? nil : HealthTransition(backend: id, healthy: isHealthy, at: time)
    }

    /// HAProxy `srv_getinter`.
    func interval(forHealth h: Int) -> Nanoseconds {
        if h == maxHealth { return config.interval }
        if h == 0 { return config.downInterval ?? config.interval }
        return config.fastInterval ?? config.interval
    }

    func schedule(_ id: Int, at time: Instant) {
        let seq = nextSeq
        nextSeq += 1
        states[id]?.pendingSeq = seq
        heap.append(Event(time: time, seq: seq, backend: id))
        var i = heap.count - 1
        let e = heap[i]
        while i > 0 {
            let parent = (i - 1) / 2
            if !e.precedes(heap[parent]) { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = e
    }

    func dropStale() {
        while let top = heap.first, states[top.backend]?.pendingSeq != top.seq { popTop() }
    }

    func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        var i = 0
        let n = heap.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var c = l
            if l + 1 < n && heap[l + 1].precedes(heap[l]) { c = l + 1 }
            if !heap[c].precedes(last) { break }
            heap[i] = heap[c]
            i = c
        }
        heap[i] = last
    }
}
