/// Splits an expression template into text and `{{ code }}` chunks exactly as n8n's splitter
/// (tournament's `splitExpression`) does: the first unescaped `}}` closes a block, even inside a
/// string; a backslash before `{{` or `}}` escapes it.
enum TemplateSplitter {
    enum Chunk: Equatable {
        case text(String)
        /// Code and the UTF-8 offset of its first byte in the template.
        case code(String, offset: Int)
    }

    static func split(_ template: String) -> [Chunk] {
        let bytes = Array(template.utf8)
        var chunks: [Chunk] = []
        var searchingOpen = true
        var buffer: [UInt8] = []
        var bufferStart = 0
        var index = 0
        let open: [UInt8] = [0x7B, 0x7B]
        let close: [UInt8] = [0x7D, 0x7D]
        while index < bytes.count {
            let needle = searchingOpen ? open : close
            var found: Int?
            var j = index
            while j + 1 < bytes.count {
                if bytes[j] == needle[0] && bytes[j + 1] == needle[1] {
                    found = j
                    break
                }
                j += 1
            }
            guard let match = found else {
                buffer += bytes[index...]
                if searchingOpen {
                    chunks.append(.text(String(decoding: buffer, as: UTF8.self)))
                } else {
                    chunks.append(.code(escapeCode(String(decoding: buffer, as: UTF8.self)), offset: bufferStart))
                }
                return chunks
            }
            var backslashes = 0
            var k = match - 1
            while k >= index, bytes[k] == 0x5C {
                backslashes += 1
                k -= 1
            }
            if backslashes % 2 == 1 {
                buffer += bytes[index..<(match + 2)]
                index = match + 2
                continue
            }
            buffer += bytes[index..<match]
            if searchingOpen {
                chunks.append(.text(normalizeBackslashes(String(decoding: buffer, as: UTF8.self))))
                bufferStart = match + 2
            } else {
                chunks.append(.code(escapeCode(String(decoding: buffer, as: UTF8.self)), offset: bufferStart))
            }
            searchingOpen.toggle()
            index = match + 2
            buffer = []
            if !searchingOpen { bufferStart = index }
        }
        return chunks
    }

    /// `\}}` in code means `}}` (first occurrence only, as n8n's `String.replace`).
    static func escapeCode(_ text: String) -> String {
        guard let range = text.firstRange(of: "\\}}") else { return text }
        var out = text
        out.replaceSubrange(range, with: "}}")
        return out
    }

    /// `\\` in text means `\`.
    static func normalizeBackslashes(_ text: String) -> String {
        text.replacing("\\\\", with: "\\")
    }
}
