public import FlowrunExpressions
import Foundation

/// Query strings and url-encoded forms as Express's parser gives them: repeated keys become
/// arrays, `+` is a space.
public enum FormDecoding {
    public static func query(_ text: String) -> JSONObject {
        var out: JSONObject = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = JSONValue.string(parts.count > 1 ? decode(parts[1]) : "")
            switch out[key] {
            case nil: out[key] = value
            case .array(var list)?:
                list.append(value)
                out[key] = .array(list)
            case let existing?: out[key] = .array([existing, value])
            }
        }
        return out
    }

    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// A small multipart/form-data reader (RFC 7578): parts with their name, file name, type and bytes.
enum MultipartParser {
    struct Part {
        var name: String
        var fileName: String?
        var contentType: String?
        var body: [UInt8]
    }

    /// The `boundary` parameter of a Content-Type value.
    static func boundary(of contentType: String) -> String? {
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = kv[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The parts, or nil when the body does not follow the format.
    static func parse(_ body: [UInt8], boundary: String) -> [Part]? {
        let delimiter = Array("--\(boundary)".utf8)
        var positions: [Int] = []
        var i = 0
        while let found = find(delimiter, in: body, from: i) {
            positions.append(found)
            i = found + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            var s = start + delimiter.count
            if s + 1 < body.count, body[s] == 0x0D, body[s + 1] == 0x0A { s += 2 } else if s < body.count, body[s] == 0x0A { s += 1 }
            var e = end
            if e >= 2, body[e - 2] == 0x0D, body[e - 1] == 0x0A { e -= 2 } else if e >= 1, body[e - 1] == 0x0A { e -= 1 }
            guard s <= e else { return nil }
            let chunk = Array(body[s..<e])
            let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
            let headerEnd = find(separator, in: chunk, from: 0).map { ($0, 4) } ?? find([0x0A, 0x0A], in: chunk, from: 0).map { ($0, 2) }
            guard let (hEnd, sepLen) = headerEnd else { return nil }
            let headerText = String(decoding: chunk[0..<hEnd], as: UTF8.self)
            var part = Part(name: "", fileName: nil, contentType: nil, body: Array(chunk[(hEnd + sepLen)...]))
            for line in headerText.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
                let kv = line.split(separator: ":", maxSplits: 1)
                guard kv.count == 2 else { continue }
                let name = kv[0].trimmingCharacters(in: .whitespaces).lowercased()
                let value = kv[1].trimmingCharacters(in: .whitespaces)
                if name == "content-type" { part.contentType = value }
                if name == "content-disposition" {
                    part.name = dispositionParameter("name", in: value) ?? ""
                    part.fileName = dispositionParameter("filename", in: value)
                }
            }
            parts.append(part)
        }
        return parts
    }

    static func dispositionParameter(_ key: String, in value: String) -> String? {
        for param in value.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var v = kv[1].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        let first = needle[0]
        while i <= haystack.count - needle.count {
            if haystack[i] == first, Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
