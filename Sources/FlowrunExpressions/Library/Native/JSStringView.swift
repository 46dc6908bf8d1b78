/// UTF-16 helpers: JavaScript string indexes count UTF-16 code units.
struct JSStringView {
    let units: [UInt16]

    init(_ s: String) { units = Array(s.utf16) }
    init(units: [UInt16]) { self.units = units }

    var count: Int { units.count }

    func slice(_ from: Int, _ to: Int) -> String {
        let a = Swift.max(0, Swift.min(from, units.count))
        let b = Swift.max(a, Swift.min(to, units.count))
        return String(decoding: units[a..<b], as: UTF16.self)
    }

    func find(_ needle: [UInt16], from: Int = 0) -> Int? {
        let start = Swift.max(0, from)
        if needle.isEmpty { return Swift.min(start, units.count) }
        guard needle.count <= units.count else { return nil }
        var i = start
        while i + needle.count <= units.count {
            if units[i] == needle[0], units[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    func findLast(_ needle: [UInt16], from: Int) -> Int? {
        var i = Swift.min(from, units.count - needle.count)
        while i >= 0 {
            if units[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    /// A relative index argument (`slice(-2)`), clamped to `0...count`.
    func relative(_ value: JSValue, default d: Int) -> Int {
        if value.isUndefined { return d }
        let n = value.toNumber().integerOrInfinity
        if n < 0 { return Swift.max(0, units.count + Int(Swift.max(n, -Double(units.count) - 1))) }
        return Int(Swift.min(n, Double(units.count)))
    }
}
