import Foundation

/// JavaScript's `Date.parse` as V8 implements it: the ES ISO format first (date-only forms are
/// UTC, date-time forms without an offset are local time), then V8's legacy parser for forms
/// like `1-Feb-2024`, `March 7, 2024 10:00`, `2024/03/07` or `Wed, 21 Oct 2015 07:28:00 GMT`.
package enum JSDateParser {
    /// Epoch milliseconds, or nil where JavaScript gives `NaN`. `localZone` is the zone of `new Date()`.
    package static func parse(_ text: String, localZone: LuxonZone) -> Double? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let iso = parseISO(s, localZone: localZone) { return iso }
        return parseLegacy(s, localZone: localZone)
    }

    static func local(_ civil: CivilTime, zone: LuxonZone) -> Double {
        LuxonDateTime.fixOffset(localTS: civil.localMillis, guess: zone.offset(atMillis: civil.localMillis), zone: zone).0
    }

    static func parseISO(_ s: String, localZone: LuxonZone) -> Double? {
        let pattern = #"^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:\d\d)?)?$"#
        guard let g = LuxonRegex.match(pattern, s) else { return nil }
        guard let year = Int(g[1]!.replacingOccurrences(of: "+", with: "")) else { return nil }
        if g[1] == "-000000" { return nil }
        let month = g[2].flatMap { Int($0) } ?? 1
        let day = g[3].flatMap { Int($0) } ?? 1
        let hour = g[4].flatMap { Int($0) } ?? 0
        let minute = g[5].flatMap { Int($0) } ?? 0
        let second = g[6].flatMap { Int($0) } ?? 0
        let ms = Int(LuxonDateTime.parseMillis(g[7]))
        guard (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
              hour <= 24, minute <= 59, second <= 59 else { return nil }
        if hour == 24 && (minute != 0 || second != 0 || ms != 0) { return nil }
        let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: ms)
        if g[4] == nil { return civil.localMillis }
        if let z = g[8] {
            if z == "Z" { return civil.localMillis }
            let sign = z.hasPrefix("-") ? -1 : 1
            let parts = z.dropFirst().split(separator: ":")
            let offset = sign * ((Int(parts[0]) ?? 0) * 60 + (Int(parts[1]) ?? 0))
            return civil.localMillis - Double(offset) * 60_000
        }
        return local(civil, zone: localZone)
    }

    static let zoneAbbreviations: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
        "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    ]

    /// V8's legacy date parser, simplified to the forms seen in real data.
    static func parseLegacy(_ s: String, localZone: LuxonZone) -> Double? {
        var numbers: [(value: Int, digits: Int)] = []
        var time: [Int] = []
        var millis = 0
        var month: Int?
        var pm: Bool?
        var offset: Int?
        let chars = Array(s)
        var i = 0
        var lastWasTime = false
        while i < chars.count {
            let ch = chars[i]
            if ch.isNumber {
                var j = i
                while j < chars.count, chars[j].isNumber { j += 1 }
                let text = String(chars[i..<j])
                guard let value = Int(text) else { return nil }
                if j < chars.count, chars[j] == ":" , time.count < 3 {
                    time.append(value)
                    lastWasTime = true
                    i = j + 1
                    continue
                }
                if lastWasTime, time.count < 3 {
                    time.append(value)
                    if j < chars.count, chars[j] == ".", j + 1 < chars.count, chars[j + 1].isNumber {
                        var k = j + 1
                        while k < chars.count, chars[k].isNumber { k += 1 }
                        millis = Int(LuxonDateTime.parseMillis(String(chars[(j + 1)..<k])))
                        j = k
                    }
                    lastWasTime = false
                    i = j
                    continue
                }
                numbers.append((value, text.count))
                lastWasTime = false
                i = j
            } else if ch.isLetter {
                var j = i
                while j < chars.count, chars[j].isLetter { j += 1 }
                let word = String(chars[i..<j]).uppercased()
                i = j
                lastWasTime = false
                if word == "AM" || word == "PM" { pm = word == "PM"; continue }
                if let zoneOffset = zoneAbbreviations[word] {
                    offset = zoneOffset
                    continue
                }
                if word == "T" { continue }
                let prefix = String(word.prefix(3))
                if word.count >= 3, let index = LuxonDateTime.shortMonths.firstIndex(where: { $0.uppercased() == prefix }) {
                    month = index + 1
                    continue
                }
                if word.count >= 3, LuxonLocale.englishWeekdays.contains(where: { $0.uppercased().hasPrefix(prefix) }) { continue }
                return nil
            } else if (ch == "+" || ch == "-"), !time.isEmpty, i + 1 < chars.count, chars[i + 1].isNumber {
                var j = i + 1
                while j < chars.count, chars[j].isNumber { j += 1 }
                let digits = String(chars[(i + 1)..<j])
                var hours = 0, minutes = 0
                if j < chars.count, chars[j] == ":" {
                    hours = Int(digits) ?? 0
                    var k = j + 1
                    while k < chars.count, chars[k].isNumber { k += 1 }
                    minutes = Int(String(chars[(j + 1)..<k])) ?? 0
                    j = k
                } else if digits.count <= 2 {
                    hours = Int(digits) ?? 0
                } else {
                    let v = Int(digits) ?? 0
                    hours = v / 100
                    minutes = v % 100
                }
                offset = (ch == "-" ? -1 : 1) * (hours * 60 + minutes)
                i = j
            } else if ch == "(" {
                while i < chars.count, chars[i] != ")" { i += 1 }
                i += 1
            } else {
                lastWasTime = false
                i += 1
            }
        }
        var year: Int, mon: Int, day: Int
        if let month {
            mon = month
            guard !numbers.isEmpty, numbers.count <= 2 else { return nil }
            if numbers.count == 1 {
                day = numbers[0].value
                year = 2001
            } else if numbers[0].value > 31 || numbers[0].digits > 2 {
                year = numbers[0].value
                day = numbers[1].value
            } else {
                day = numbers[0].value
                year = numbers[1].value
                if numbers[1].digits <= 2 { year = year < 50 ? 2000 + year : 1900 + year }
            }
        } else {
            guard numbers.count == 3 else { return nil }
            if numbers[0].digits > 2 || numbers[0].value > 31 {
                year = numbers[0].value
                mon = numbers[1].value
                day = numbers[2].value
            } else {
                mon = numbers[0].value
                day = numbers[1].value
                year = numbers[2].value
                if numbers[2].digits <= 2 { year = year < 50 ? 2000 + year : 1900 + year }
            }
        }
        var hour = time.count > 0 ? time[0] : 0
        let minute = time.count > 1 ? time[1] : 0
        let second = time.count > 2 ? time[2] : 0
        if let pm {
            guard hour <= 12 else { return nil }
            if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 }
        }
        guard (1...12).contains(mon), day >= 1, day <= CivilTime.daysInMonth(year: year, month: mon),
              hour <= 24, minute <= 59, second <= 59 else { return nil }
        let civil = CivilTime(year: year, month: mon, day: day, hour: hour, minute: minute, second: second, millisecond: millis)
        if let offset { return civil.localMillis - Double(offset) * 60_000 }
        return local(civil, zone: localZone)
    }
}
