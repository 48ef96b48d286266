import Scenario
import SimCore

/// A dedicated event loop for the commonest validation model, one M/M/c station: one
/// Poisson stream at a constant rate into one exponential c-server FIFO station, no routing
/// (`scenarios/validation/mmc.yaml`, the model `scripts/bench` compares with a plain C heap
/// loop, `bench/mmc.c`).
///
/// Why: in the general loop a customer costs two trips through the `Scheduler` (a 32-byte
/// event in a spilling 4-ary heap, the logical-process bits, the prefetch hook, the handler's
/// switch), a customer slot, a `Deque` and routing checks, and the whole process took 1.8×
/// the C loop's CPU. Here the pending events (at most the next arrival, one departure per
/// busy server and the warm-up cut) sit in a small binary heap of their own, a departure
/// carries its customer's arrival time and whether it is counted (no customer records), and
/// the waiting line is a ring of those two words.
///
/// The result is the general loop's to the bit: the same random draws from the same streams
/// in the same order, the same (time, sequence number) order of events (a sequence number
/// is taken for every event the general loop schedules, in the same order), the same
/// statistics updated with the same values at the same instants, and the same event count
/// and final clock. `QueueingFastPathTests` compares the two loops' metrics.
extension QueueingNetwork {
    /// True when `runSingleStation` applies: one station without routing, exponential
    /// service, one Poisson arrival stream without a rate profile, and no sojourn series
    /// (that is recorded only for `warmup: auto`).
    var singleStationLoopApplies: Bool {
        guard sojournIsStations, !recordSojournSeries, config.arrivals.count == 1, !exponentialService[0].isNaN,
              case .poisson(let rate, let profile) = config.arrivals[0].process, profile.isEmpty, rate > 0
        else { return false }
        return true
    }

    /// Runs the model as `start` followed by `Scheduler.run(until: limit)` would, returning the
    /// final clock and the events handled. `tick` is called after every `every` events (the
    /// progress display) with the clock and the customers departed so far.
    func runSingleStation(until limit: SimTime, every: UInt64, tick: (SimTime, Int) -> Void) -> (now: SimTime, events: UInt64) {
        precondition(singleStationLoopApplies)
        let st = stations.baseAddress.unsafelyUnwrapped
        let servers = st.pointee.servers
        var heap = SmallEventHeap(capacity: servers + 2)
        defer { heap.deallocate() }
        var line = WaitingLine()
        defer { line.deallocate() }
        // The station's statistics move into locals for the loop (no uniqueness checks through
        // the buffer; histograms fill through recorders) and back at the end.
        var wait = LatencyHistogram.Recorder(st.pointee.wait), sojourn = LatencyHistogram.Recorder(st.pointee.sojourn)
        var queueLength = st.pointee.queueLength, busyServers = st.pointee.busyServers
        var waitSeries = TimeSeries(interval: 1), queueSeries = GaugeSeries(interval: 1)
        swap(&waitSeries, &st.pointee.waitSeries)
        swap(&queueSeries, &st.pointee.queueSeries)
        var busy = st.pointee.busy, served = st.pointee.served, waited = st.pointee.waited
        var arrivals = externalArrivals, departed = departedNetwork, inNetwork = inSystem
        let maxCustomers = self.maxCustomers, warmupCustomers = self.warmupCustomers, statsFrom = self.statsFrom
        let arrivalMean = poissonMean[0], serviceMean = exponentialService[0]
        let arrivalRNG = arrivalStreams[0], serviceRNG = serviceStreams[0]
        var seq: UInt64 = 0
        var now: SimTime = 0
        var events: UInt64 = 0
        var untilTick = every

        @inline(__always) func drawArrival(from t: SimTime) {
            guard arrivals < maxCustomers else { return }
            let at = t + arrivalRNG.exponentialTime(mean: arrivalMean)
            heap.push(SmallEvent(time: at, seq: seq, info: SmallEvent.arrival))
            seq &+= 1
        }
        @inline(__always) func startService(arrivedAt: SimTime, counted: Bool) {
            busy += 1
            busyServers.set(Double(busy), at: now)
            let w = now - arrivedAt
            if counted {
                wait.record(w)
                waitSeries.record(SimUnit.seconds(w), at: now)
                if w > 0 { waited += 1 }
            }
            let d = serviceRNG.exponentialTime(mean: serviceMean)
            heap.push(SmallEvent(time: now &+ Swift.max(0, d), seq: seq, info: SmallEvent.departure(arrivedAt, counted)))
            seq &+= 1
        }

        // `start`: the first arrival, then the warm-up cut.
        drawArrival(from: 0)
        if warmupTime > 0 {
            heap.push(SmallEvent(time: warmupTime, seq: seq, info: SmallEvent.warmupEnd))
            seq &+= 1
        }
        var stopped = false
        while !stopped, let next = heap.min {
            if next.time > limit {
                now = Swift.max(now, limit)
                break
            }
            let e = heap.popMin()
            now = e.time
            events &+= 1
            if e.info == SmallEvent.arrival {
                if arrivals < maxCustomers {
                    let counted = arrivals >= warmupCustomers && now >= statsFrom
                    arrivals += 1
                    inNetwork += 1
                    if busy < servers {
                        startService(arrivedAt: now, counted: counted)
                    } else {
                        line.append(now, counted)
                        let length = Double(line.count)
                        queueLength.set(length, at: now)
                        queueSeries.set(length, at: now)
                    }
                    drawArrival(from: now)
                }
            } else if e.info >= 0 {
                let arrivedAt = e.info >> 1, counted = e.info & 1 == 1
                if counted {
                    sojourn.record(now - arrivedAt)
                    served += 1
                }
                busy -= 1
                if line.count > 0 {
                    let (at, c) = line.popFirst()
                    let length = Double(line.count)
                    queueLength.set(length, at: now)
                    queueSeries.set(length, at: now)
                    startService(arrivedAt: at, counted: c)
                } else {
                    busyServers.set(Double(busy), at: now)
                }
                departed += 1
                inNetwork -= 1
                if departed >= maxCustomers { stopped = true }
            } else {
                queueLength.reset(at: now)
                busyServers.reset(at: now)
            }
            untilTick &-= 1
            if untilTick == 0 {
                untilTick = every
                if !stopped { tick(now, departed) }
            }
        }

        st.pointee.wait = wait.finish()
        st.pointee.sojourn = sojourn.finish()
        st.pointee.queueLength = queueLength
        st.pointee.busyServers = busyServers
        swap(&waitSeries, &st.pointee.waitSeries)
        swap(&queueSeries, &st.pointee.queueSeries)
        st.pointee.busy = busy
        st.pointee.served = served
        st.pointee.waited = waited
        // The waiting customers stay in the network (`network.in_system`); the general loop
        // holds them in the station's queue, which no metric reads.
        externalArrivals = arrivals
        departedNetwork = departed
        inSystem = inNetwork
        return (now, events)
    }
}
