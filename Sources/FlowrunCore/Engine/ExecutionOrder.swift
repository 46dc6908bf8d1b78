/// How the engine schedules the children of a node that produced data (n8n's
/// `settings.executionOrder`): anything but "v1", including a missing key, is the legacy order.
public enum ExecutionOrder: String, Sendable, Hashable, Codable {
    /// Legacy: children appended to the end of the stack (breadth-first-like); multi-input nodes
    /// force their other parents to run.
    case v0
    /// Children sorted by canvas position and put at the front of the stack (depth-first).
    case v1
}

extension ExecutionOrder {
    /// Sorts like V8's `Array.prototype.sort` does for short arrays (a run, then binary insertion),
    /// so that n8n's inconsistent position comparator gives the same order here.
    static func v8Sort<T>(_ array: inout [T], by compare: (T, T) -> Int) {
        let n = array.count
        if n < 2 { return }
        var runLength = 2
        let descending = compare(array[1], array[0]) < 0
        var previous = array[1]
        var idx = 2
        while idx < n {
            let order = compare(array[idx], previous)
            if descending ? order >= 0 : order < 0 { break }
            previous = array[idx]
            runLength += 1
            idx += 1
        }
        if descending { array[0..<runLength].reverse() }
        var start = runLength
        while start < n {
            var left = 0
            var right = start
            let pivot = array[start]
            while left < right {
                let mid = left + ((right - left) >> 1)
                if compare(pivot, array[mid]) < 0 { right = mid } else { left = mid + 1 }
            }
            var p = start
            while p > left {
                array[p] = array[p - 1]
                p -= 1
            }
            array[left] = pivot
            start += 1
        }
    }
}
