import FlowrunCore
import FlowrunExpressions
import Foundation

/// Rename Keys (`n8n-nodes-base.renameKeys`): moves values to new keys (dot paths), then applies
/// regex replacements to key names.
struct RenameKeysNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.renameKeys", typeVersions: [1], displayName: "Rename Keys")

    struct Rename: Sendable {
        var current: Param<String>
        var new: Param<String>
    }

    struct Replacement: Sendable {
        var search: Param<String>
        var replace: Param<String>
        var caseInsensitive: Param<Bool>
        var depth: Param<Int>
    }

    let renames: [Rename]
    let replacements: [Replacement]

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        renames = p["keys"]["key"].elements().map { Rename(current: $0["currentKey"].string(default: ""), new: $0["newKey"].string(default: "")) }
        replacements = p["additionalOptions"]["regexReplacement"]["replacements"].elements().map {
            Replacement(search: $0["searchRegex"].string(default: ""), replace: $0["replaceRegex"].string(default: ""),
                        caseInsensitive: $0["options"]["caseInsensitive"].bool(default: false),
                        depth: $0["options"]["depth"].int(default: -1))
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var output: [Item] = []
        for (i, item) in input.main.enumerated() {
            var json = item.json
            for rename in renames {
                let current = try rename.current.value(for: i, in: context)
                let new = try rename.new.value(for: i, in: context)
                if current.isEmpty || new.isEmpty || current == new { continue }
                guard let value = FieldPath.get(.object(item.json), current) else { continue }
                FieldPath.set(&json, new, value)
                FieldPath.unset(&json, current)
            }
            for r in replacements {
                let pattern = try r.search.value(for: i, in: context)
                guard let regex = JS.regex(pattern, flags: try r.caseInsensitive.value(for: i, in: context) ? "i" : "") else {
                    throw context.error("Invalid regular expression: /\(pattern)/", itemIndex: i)
                }
                let template = try r.replace.value(for: i, in: context)
                json = Self.renameKeys(json, regex: regex, template: template, depth: try r.depth.value(for: i, in: context))
            }
            output.append(Item(json: json, binary: item.binary, pairedItem: [PairedItem(item: i)]))
        }
        return [output]
    }

    static func renameKeys(_ object: JSONObject, regex: NSRegularExpression, template: String, depth: Int) -> JSONObject {
        var result = object
        for key in object.keys {
            guard var value = result[key] else { continue }
            if depth != 0 { value = renameValue(value, regex: regex, template: template, depth: depth - 1) }
            result[key] = value
            let range = NSRange(key.startIndex..., in: key)
            if let match = regex.firstMatch(in: key, range: range) {
                let ns = key as NSString
                let replacement = regex.replacementString(for: match, in: key, offset: 0, template: template)
                let newKey = ns.replacingCharacters(in: match.range, with: replacement)
                if newKey != key {
                    result.removeValue(forKey: key)
                    result[newKey] = value
                }
            }
        }
        return result
    }

    private static func renameValue(_ value: JSONValue, regex: NSRegularExpression, template: String, depth: Int) -> JSONValue {
        switch value {
        case .object(let o): return .object(renameKeys(o, regex: regex, template: template, depth: depth))
        case .array(let a):
            return .array(a.map { depth != 0 ? renameValue($0, regex: regex, template: template, depth: depth - 1) : $0 })
        default: return value
        }
    }
}
