/// `Array.prototype.sort` as V8 runs it on short arrays (binary insertion sort after the first
/// run), so that comparators that are not consistent (null against strings, mixed types) order
/// items as n8n does. Longer arrays use a stable sort, which agrees for consistent comparators.
enum JSSort {
    /// Sorts with a comparator returning <0, 0 or >0 like a JavaScript compare function.
    static func sort<T>(_ array: [T], by compare: (T, T) -> Int) -> [T] {
        var a = array
        let n = a.count
        if n < 2 { return a }
        if n >= 64 {
            return a.enumerated().sorted { x, y in
                let order = compare(x.element, y.element)
                return order != 0 ? order < 0 : x.offset < y.offset
            }.map(\.element)
        }
        // countAndMakeRun
        var runLength = 2
        let descending = compare(a[1], a[0]) < 0
        var previous = a[1]
        var index = 2
        while index < n {
            let order = compare(a[index], previous)
            if descending ? order >= 0 : order < 0 { break }
            previous = a[index]
            runLength += 1
            index += 1
        }
        if descending { a[0..<runLength].reverse() }
        // binaryInsertionSort
        var start = runLength
        while start < n {
            let pivot = a[start]
            var left = 0
            var right = start
            while left < right {
                let mid = left + ((right - left) >> 1)
                if compare(pivot, a[mid]) < 0 { right = mid } else { left = mid + 1 }
            }
            var p = start
            while p > left {
                a[p] = a[p - 1]
                p -= 1
            }
            a[left] = pivot
            start += 1
        }
        return a
    }
}
