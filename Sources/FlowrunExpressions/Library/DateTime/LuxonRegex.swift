import Foundation
import Synchronization

/// Compiled-once regular expressions for the date parsers and string extensions.
package enum LuxonRegex {
    // NSRegularExpression is immutable once built and documented thread-safe for matching.
    private struct Box: @unchecked Sendable { let regex: NSRegularExpression }
    private static let cache = Mutex<[String: Box]>([:])

    /// The compiled pattern, or nil when ICU rejects it.
    package static func compile(_ pattern: String, caseInsensitive: Bool = false) -> NSRegularExpression? {
        let key = (caseInsensitive ? "i:" : "s:") + pattern
        if let hit = cache.withLock({ $0[key] }) { return hit.regex }
        guard let regex = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else {
            return nil
        }
        cache.withLock { $0[key] = Box(regex: regex) }
        return regex
    }

    /// Groups of the first match (index 0 is the whole match), nil when nothing matches.
    package static func match(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> [String?]? {
        guard let regex = compile(pattern, caseInsensitive: caseInsensitive) else { return nil }
        let ns = text as NSString
        guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
    }

    package static func test(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        guard let regex = compile(pattern, caseInsensitive: caseInsensitive) else { return false }
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    /// `text.replace(/pattern/g, template)` with `$1`-style templates.
    package static func replaceAll(_ pattern: String, in text: String, with template: String, caseInsensitive: Bool = false, multiline: Bool = false) -> String {
        guard let regex = compileOptions(pattern, caseInsensitive: caseInsensitive, multiline: multiline) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length), withTemplate: template)
    }

    static func compileOptions(_ pattern: String, caseInsensitive: Bool, multiline: Bool) -> NSRegularExpression? {
        if !multiline { return compile(pattern, caseInsensitive: caseInsensitive) }
        let key = (caseInsensitive ? "im:" : "m:") + pattern
        if let hit = cache.withLock({ $0[key] }) { return hit.regex }
        var options: NSRegularExpression.Options = [.anchorsMatchLines]
        if caseInsensitive { options.insert(.caseInsensitive) }
        guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else { return nil }
        cache.withLock { $0[key] = Box(regex: regex) }
        return regex
    }
}
