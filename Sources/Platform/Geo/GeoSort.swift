/// In-place, allocation-free sorting and top-k selection for search results (Swift's `sort` may
/// allocate a merge buffer). Both are unstable, so callers pass a strict total order; then the output
/// is unique and any correct algorithm gives the same result.
///
/// Redis itself uses libc `qsort` for a full sort and its own `pqsort` (partial quicksort) when `COUNT`
/// returns fewer members than were found (redis `src/geo.c` `georadiusGeneric`, `src/pqsort.c`).
public enum GeoSort {
    /// Sorts `buffer` by `less` (introsort: median-of-three quicksort, insertion sort below 16
    /// elements, heapsort when recursion gets too deep).
    ///
    /// - Complexity: O(n log n) worst case, no allocation.
    @inlinable
    public static func sort<T>(_ buffer: UnsafeMutableBufferPointer<T>, by less: (T, T) -> Bool) {
        guard buffer.count > 1 else { return }
        introsort(buffer, 0, buffer.count - 1, depth: 2 * log2Floor(buffer.count) + 2, less)
    }

    /// Puts the `k` smallest elements by `less`, sorted, at the front of `buffer`; the order of the
    /// rest is unspecified.
    ///
    /// - Complexity: O(n + k log k) expected (quickselect), O(n log n) worst case; no allocation.
    @inlinable
    public static func partialSort<T>(_ buffer: UnsafeMutableBufferPointer<T>, first k: Int,
                                      by less: (T, T) -> Bool) {
        let n = buffer.count
        guard k > 0 else { return }
        if k >= n { sort(buffer, by: less); return }
        var lo = 0
        var hi = n - 1
        var budget = 2 * log2Floor(n) + 2
        let target = k - 1
        while hi > lo {
            if hi - lo < 16 { insertionSort(buffer, lo, hi, less); break }
            if budget == 0 { heapsort(buffer, lo, hi, less); break }
            budget -= 1
            let (j, i) = partition(buffer, lo, hi, less)
            if target <= j { hi = j } else if target >= i { lo = i } else { break }
        }
        sort(UnsafeMutableBufferPointer(rebasing: buffer[0..<k]), by: less)
    }

    @inlinable
    static func log2Floor(_ n: Int) -> Int { Int.bitWidth - 1 - n.leadingZeroBitCount }

    /// Hoare partition around the median of `lo`, `mid`, `hi`; returns `(j, i)` with every element in
    /// `lo...j` not after the pivot and every element in `i...hi` not before it, `j < i`.
    @inlinable
    static func partition<T>(_ a: UnsafeMutableBufferPointer<T>, _ lo: Int, _ hi: Int,
                             _ less: (T, T) -> Bool) -> (Int, Int) {
        let mid = lo + (hi - lo) / 2
        if less(a[mid], a[lo]) { a.swapAt(mid, lo) }
        if less(a[hi], a[lo]) { a.swapAt(hi, lo) }
        if less(a[hi], a[mid]) { a.swapAt(hi, mid) }
        let pivot = a[mid]
        var i = lo
        var j = hi
        while i <= j {
            while less(a[i], pivot) { i += 1 }
            while less(pivot, a[j]) { j -= 1 }
            if i <= j {
                a.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        return (j, i)
    }

    @inlinable
    static func introsort<T>(_ a: UnsafeMutableBufferPointer<T>, _ lo: Int, _ hi: Int, depth: Int,
                             _ less: (T, T) -> Bool) {
        var lo = lo
        var hi = hi
        var depth = depth
        while hi - lo >= 16 {
            if depth == 0 { heapsort(a, lo, hi, less); return }
            depth -= 1
            let (j, i) = partition(a, lo, hi, less)
            // Recurse into the smaller side, loop on the larger: O(log n) stack.
            if j - lo < hi - i {
                introsort(a, lo, j, depth: depth, less)
                lo = i
            } else {
                introsort(a, i, hi, depth: depth, less)
                hi = j
            }
        }
        insertionSort(a, lo, hi, less)
    }

    @inlinable
    static func insertionSort<T>(_ a: UnsafeMutableBufferPointer<T>, _ lo: Int, _ hi: Int,
                                 _ less: (T, T) -> Bool) {
        guard hi > lo else { return }
        for i in (lo + 1)...hi {
            let x = a[i]
            var j = i
            while j > lo && less(x, a[j - 1]) {
                a[j] = a[j - 1]
                j -= 1
            }
            a[j] = x
        }
    }

    @inlinable
    static func heapsort<T>(_ a: UnsafeMutableBufferPointer<T>, _ lo: Int, _ hi: Int,
                            _ less: (T, T) -> Bool) {
        let n = hi - lo + 1
        guard n > 1 else { return }
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && less(a[lo + child], a[lo + child + 1]) { child += 1 }
                if less(a[lo + root], a[lo + child]) {
                    a.swapAt(lo + root, lo + child)
                    root = child
                } else {
                    return
                }
            }
        }
        var start = n / 2 - 1
        while start >= 0 {
            siftDown(start, n)
            start -= 1
        }
        var end = n - 1
        while end > 0 {
            a.swapAt(lo, lo + end)
            siftDown(0, end)
            end -= 1
        }
    }
}
