import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// The HTTP Request node's Foundation-free fast paths give what the Foundation calls they stand
/// in for give.
@Suite("HTTP Request: fast paths agree with Foundation")
struct HTTPFastPathTests {
    static let texts = [
        "", " ", "\t\r\n", "a", " a ", "\u{00A0}", " \u{2028}x", "x\u{3000}", "application/json", "https://h/x ",
        "\u{FEFF}{}", "é", " é ", "\u{0085}",
    ]

    @Test("blank and trimmed as trimmingCharacters(in: .whitespacesAndNewlines)")
    func whitespace() {
        for text in Self.texts {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(HTTPEncoding.isBlank(text) == trimmed.isEmpty, "\(text.debugDescription)")
            #expect(HTTPEncoding.trimmingWhitespace(text) == trimmed, "\(text.debugDescription)")
        }
    }

    @Test("contains as Foundation's String.contains")
    func contains() {
        let haystacks = ["application/json", "application/json; charset=utf-8", "text/html", "", "APPLICATION/JSON", "image/png", "applicationjson", "é/json"]
        let needles = ["application/json", "image/", "json", "", "ht", "é"]
        for h in haystacks {
            for n in needles { #expect(HTTPEncoding.contains(h, n) == h.contains(n), "\(h) ∋ \(n)") }
        }
    }

    @Test("header names match ignoring case, as lowercased() on both")
    func headerNames() {
        let names = ["content-type", "Content-Type", "CONTENT-TYPE", "content-typ", "content-types", "", "Straße", "STRASSE", "İ", "i̇"]
        for a in names {
            for b in names { #expect(HTTPField.namesMatch(a, b) == (a.lowercased() == b.lowercased()), "\(a) ~ \(b)") }
        }
        let response = HTTPResponseData(status: 200, headers: [HTTPField("X-A", "1"), HTTPField("Content-Type", "text/plain")])
        #expect(response.header("content-type") == "text/plain")
        #expect(response.header("CONTENT-TYPE") == "text/plain")
        #expect(response.header("content") == nil)
    }

    @Test("JSON answers parsed from bytes as from their decoded text; other charsets, BOMs and blanks take the text path")
    func jsonBytes() throws {
        let bodies: [[UInt8]] = [
            Array(#"{"ok": true, "n": 1}"#.utf8), Array("[1, 2, {\"a\": \"é\"}]".utf8), Array("  \n".utf8), [],
            [0xEF, 0xBB, 0xBF] + Array("{}".utf8), Array("{\"bad\": \"".utf8) + [0xFF] + Array("\"}".utf8), Array("nope".utf8),
        ]
        for body in bodies {
            let fast = HTTPRequestNode.parseUTF8JSON(body, contentType: "application/json")
            let text = HTTPEncoding.decodeText(body, contentType: "application/json")
            if let fast { #expect(fast == (try JSONValue(parsing: text))) }
        }
        #expect(HTTPRequestNode.parseUTF8JSON(Array("  ".utf8), contentType: "application/json") == nil)
        #expect(HTTPRequestNode.parseUTF8JSON([0xEF, 0xBB, 0xBF] + Array("{}".utf8), contentType: "application/json") == nil)
        #expect(HTTPRequestNode.parseUTF8JSON(Array("{}".utf8), contentType: "application/json; charset=iso-8859-1") == nil)
        #expect(HTTPRequestNode.parseUTF8JSON(Array("{}".utf8), contentType: "application/json; charset=utf-8") == .object([:]))
    }

    @Test("the breaker key is Foundation's host of the URL, remembered for the next item with the same URL")
    func hosts() {
        var cache = HostCache()
        for url in ["https://api.example.com/x", "https://api.example.com/x", "http://127.0.0.1:8080/a", "https://user:pw@h.io/", "not a url"] {
            #expect(cache.host(of: url) == (URL(string: url)?.host ?? url))
        }
    }
}
