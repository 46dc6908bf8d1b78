import FlowrunCore
import FlowrunExpressions
import Foundation

extension DateTimeNode {
    /// Date & Time v1 (moment.js).
    func executeV1(_ item: Item, index i: Int, context: ExecutionContext) throws -> Item? {
        let options = try p.options.value(for: i, in: context) ?? .object([:])
        let property = try p.dataPropertyName.value(for: i, in: context)
        let workflowZone = context.timeZone
        guard let value = try p.value.value(for: i, in: context) else { return nil }
        let result: JSONValue
        if operation == "format" {
            let fromFormat = options["fromFormat"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let fromZone = options["fromTimezone"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let toZone = options["toTimezone"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let localZone = LuxonZone.named(TimeZone.current.identifier)
            var date: LuxonDateTime?
            if case .number(let n) = value, n == n.rounded() {
                date = JS.string(value).count < 12
                    ? LuxonDateTime.fromMillis(n * 1000, zone: localZone)
                    : LuxonDateTime.fromMillis(n, zone: localZone)
            } else {
                let zone = (fromZone != nil || toZone != nil) ? LuxonZone.named(fromZone ?? workflowZone) : localZone
                if let fromFormat {
                    let parsed = LuxonDateTime.fromFormat(JS.string(value), format: Self.luxonFormat(fromMoment: fromFormat),
                                                          options: .init(zone: zone))
                    date = parsed.isValid ? parsed : nil
                } else {
                    date = MomentFormat.parse(value, zone: zone)
                }
            }
            guard var parsed = date else {
                throw context.error("The date input format could not be recognized. Please set the \"From Format\" field", itemIndex: i)
            }
            if toZone != nil || fromZone != nil {
                parsed = parsed.setZone(LuxonZone.named(toZone ?? workflowZone))
            }
            let format = try p.toFormat.value(for: i, in: context)
            result = .string(MomentFormat.format(parsed, format))
        } else {
            let localZone = LuxonZone.named(TimeZone.current.identifier)
            guard let parsed = MomentFormat.parse(value, zone: localZone) else {
                throw context.error("The date input format could not be recognized. Please set the \"From Format\" field", itemIndex: i)
            }
            let amount = try p.duration.value(for: i, in: context)
            let unit = try p.timeUnit.value(for: i, in: context)
            let op = try p.calculation.value(for: i, in: context)
            guard let u = LuxonDuration.Unit(normalizing: unit) else { throw context.error("Unknown time unit \"\(unit)\"", itemIndex: i) }
            let d = LuxonDuration([u: amount])
            let moved = op == "subtract" ? parsed.minus(d) : parsed.plus(d)
            result = .string(MomentFormat.format(moved.setZone(.fixed(minutes: 0)), "YYYY-MM-DDTHH:mm:ss.SSS[Z]"))
        }
        var json = item.json
        FieldPath.set(&json, property, result)
        return Item(json: json, binary: item.binary, pairedItem: [PairedItem(item: i)])
    }

    /// Converts the common moment tokens of a From Format to Luxon tokens.
    static func luxonFormat(fromMoment format: String) -> String {
        let map: [(String, String)] = [
            ("YYYY", "yyyy"), ("YY", "yy"), ("DDDD", "ooo"), ("DD", "dd"), ("D", "d"), ("dddd", "EEEE"), ("ddd", "EEE"),
            ("A", "a"), ("X", "X"), ("x", "x"), ("Z", "ZZ"),
        ]
        var out = ""
        var rest = Substring(format)
        outer: while !rest.isEmpty {
            for (m, l) in map where rest.hasPrefix(m) {
                out += l
                rest = rest.dropFirst(m.count)
                continue outer
            }
            out.append(rest.removeFirst())
        }
        return out
    }
}
