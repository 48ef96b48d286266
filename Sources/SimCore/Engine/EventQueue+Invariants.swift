extension EventQueue {
    /// Checks the heap property after each mutation when `SIM_INTERNAL_CHECKS` is defined
    /// (debug builds and tests); otherwise an empty function the optimiser removes.
    @inlinable @inline(__always)
    public func _checkInvariants() {
        #if SIM_INTERNAL_CHECKS
        // A full check is O(n); checking a window at the top keeps debug runs usable.
        let n = Swift.min(_storage.count, 64)
        for i in 1..<Swift.max(n, 1) {
            precondition(!(_storage[i] < _storage[(i - 1) / 4]), "EventQueue heap order violated at \(i)")
        }
        #endif
    }
}
