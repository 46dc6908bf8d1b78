import FlowrunExpressions

/// Writes a task message for a runner straight from its fields and `[Item]`s, in one pass into one
/// buffer per message: no `JSONValue` per item and no measuring pass (docs/task-runners.md,
/// "Protocol"). For the JavaScript runner a big task goes in parts (`sendTask`).
///
/// Items go in one of two layouts under `items`:
/// - **list** (every runner reads it): n8n items, `{"json":…,"binary":…,"pairedItem":…,"error":…}`;
/// - **columns** (the JavaScript runner): `{"json":[…],"pairedItem":"index"|[…],"binary":{…},"error":{…}}`
///   — the items' `json` objects in order; `pairedItem` `"index"` when item i comes from input item
///   i (the usual case) or one entry per item (n8n's form, `null` when absent); `binary` and `error`
///   only for the items that have them, by index. The runner builds the item objects, which costs
///   less than parsing them, and the message is about a third shorter.
enum RunnerMessage {
    enum Layout {
        case list, columns
    }

    /// `{"type":"task","id":…,"timeoutMs":…, fields…, "items":…}` and a newline: the whole task in one message.
    static func task(id: Int, timeoutMilliseconds: Int, fields: JSONObject, items: [Item]?, layout: Layout) -> JSONTextBuffer {
        var text = header(id: id, timeoutMilliseconds: timeoutMilliseconds, fields: fields, items: items)
        if let items {
            text.appendRaw(",\"items\":")
            switch layout {
            case .list: writeList(items, into: &text)
            case .columns: _ = writeColumns(items, from: 0, partBytes: .max, into: &text)
            }
        }
        text.appendRaw("}\n")
        return text
    }

    /// Writes a task in parts, each handed to `send` as soon as it is written, so the runner parses
    /// one part while the next is written: the task message with the columns of the first items
    /// and `"itemsContinue":true`, then `{"type":"items","task":id,"items":{columns},"last":…}`
    /// messages. The first part holds about `firstPartBytes` (the runner starts parsing sooner),
    /// each next one twice the one before, up to `partBytes`: flowrun writes a part about twice as
    /// fast as the runner parses it, so the runner does not wait for the next one. Items in the list
    /// layout, and tasks whose items fit in one part, go in one message as `task(…)` writes it.
    static func sendTask(
        id: Int, timeoutMilliseconds: Int, fields: JSONObject, items: [Item]?, layout: Layout, partBytes: Int,
        firstPartBytes: Int? = nil, send: (borrowing JSONTextBuffer) throws(TaskRunnerError) -> Void
    ) throws(TaskRunnerError) {
        guard let items, layout == .columns else {
            try send(task(id: id, timeoutMilliseconds: timeoutMilliseconds, fields: fields, items: items, layout: layout))
            return
        }
        var size = min(partBytes, max(1, firstPartBytes ?? partBytes))
        var text = header(id: id, timeoutMilliseconds: timeoutMilliseconds, fields: fields, items: items, capacity: size + 4096)
        text.appendRaw(",\"items\":")
        var next = writeColumns(items, from: 0, partBytes: size, into: &text)
        if next < items.count { text.appendRaw(",\"itemsContinue\":true") }
        text.appendRaw("}\n")
        try send(text)
        while next < items.count {
            size = min(partBytes, size * 2)
            var part = JSONTextBuffer(capacity: size + size / 4)
            part.appendRaw("{\"type\":\"items\",\"task\":")
            part.append(integer: id)
            part.appendRaw(",\"items\":")
            next = writeColumns(items, from: next, partBytes: size, into: &part)
            part.appendRaw(next == items.count ? ",\"last\":true}\n" : ",\"last\":false}\n")
            try send(part)
        }
    }

    /// The message up to its items: `{"type":"task","id":…,"timeoutMs":…` and the fields.
    private static func header(
        id: Int, timeoutMilliseconds: Int, fields: JSONObject, items: [Item]?, capacity: Int? = nil
    ) -> JSONTextBuffer {
        var text = JSONTextBuffer(capacity: capacity ?? 4096 + (items?.count ?? 0) * 112)
        text.appendRaw("{\"type\":\"task\",\"id\":")
        text.append(integer: id)
        text.appendRaw(",\"timeoutMs\":")
        text.append(integer: timeoutMilliseconds)
        for (key, value) in fields where !(items != nil && key == "items") {
            text.appendByte(UInt8(ascii: ","))
            text.append(string: key)
            text.appendByte(UInt8(ascii: ":"))
            text.append(value)
        }
        return text
    }

    /// n8n items, as `Item.jsonValue(includePairedItem: true)` gives them.
    static func writeList(_ items: [Item], into text: inout JSONTextBuffer) {
        text.appendByte(UInt8(ascii: "["))
        for index in items.indices {
            if index > 0 { text.appendByte(UInt8(ascii: ",")) }
            let item = items[index]
            text.appendRaw("{\"json\":")
            text.append(object: item.json)
            if let binary = item.binary {
                text.appendRaw(",\"binary\":")
                text.append(object: binary)
            }
            if let paired = item.pairedItem {
                text.appendRaw(",\"pairedItem\":")
                writePairedItem(paired, into: &text)
            }
            if let error = item.error {
                text.appendRaw(",\"error\":")
                text.append(error)
            }
            text.appendByte(UInt8(ascii: "}"))
        }
        text.appendByte(UInt8(ascii: "]"))
    }

    /// The columns of `items[start...]` up to the item after which this part's text reaches
    /// `partBytes`; returns the index of the first item not written. `pairedItem` `"index"` and the
    /// keys of `binary` and `error` are indices in the whole task.
    static func writeColumns(_ items: [Item], from start: Int, partBytes: Int, into text: inout JSONTextBuffer) -> Int {
        let partStart = text.count
        text.appendRaw("{\"json\":[")
        var pairedByIndex = true
        var rare = false
        var end = start
        while end < items.count {
            if end > start {
                if text.count - partStart >= partBytes { break }
                text.appendByte(UInt8(ascii: ","))
            }
            let item = items[end]
            text.append(object: item.json)
            if pairedByIndex, !isOwnIndex(item.pairedItem, end) { pairedByIndex = false }
            if !rare, item.binary != nil || item.error != nil { rare = true }
            end += 1
        }
        let part = items[start..<end]
        text.appendRaw("],\"pairedItem\":")
        if pairedByIndex {
            text.appendRaw("\"index\"")
        } else {
            text.appendByte(UInt8(ascii: "["))
            for index in part.indices {
                if index > start { text.appendByte(UInt8(ascii: ",")) }
                if let paired = items[index].pairedItem { writePairedItem(paired, into: &text) } else { text.appendRaw("null") }
            }
            text.appendByte(UInt8(ascii: "]"))
        }
        if rare {
            writeSparse(part, "binary", into: &text) { $0.binary.map(JSONValue.object) }
            writeSparse(part, "error", into: &text) { $0.error }
        }
        text.appendByte(UInt8(ascii: "}"))
        return end
    }

    /// Whether `paired` is exactly `[{item: index}]`.
    @inline(__always)
    static func isOwnIndex(_ paired: [PairedItem]?, _ index: Int) -> Bool {
        guard let paired, paired.count == 1 else { return false }
        return paired[0].item == index && paired[0].input == 0
    }

    /// `,"name":{"3":…,"7":…}` for the items that have the field; nothing when none has it.
    private static func writeSparse(
        _ items: ArraySlice<Item>, _ name: StaticString, into text: inout JSONTextBuffer, _ field: (Item) -> JSONValue?
    ) {
        var first = true
        for index in items.indices {
            guard let value = field(items[index]) else { continue }
            if first {
                text.appendRaw(",\"")
                text.appendRaw(name)
                text.appendRaw("\":{")
                first = false
            } else {
                text.appendByte(UInt8(ascii: ","))
            }
            text.appendByte(UInt8(ascii: "\""))
            text.append(integer: index)
            text.appendRaw("\":")
            text.append(value)
        }
        if !first { text.appendByte(UInt8(ascii: "}")) }
    }

    /// n8n's form: one link as an object, several as an array.
    static func writePairedItem(_ paired: [PairedItem], into text: inout JSONTextBuffer) {
        if paired.count == 1 {
            writeLink(paired[0], into: &text)
            return
        }
        text.appendByte(UInt8(ascii: "["))
        for (i, link) in paired.enumerated() {
            if i > 0 { text.appendByte(UInt8(ascii: ",")) }
            writeLink(link, into: &text)
        }
        text.appendByte(UInt8(ascii: "]"))
    }

    @inline(__always)
    private static func writeLink(_ link: PairedItem, into text: inout JSONTextBuffer) {
        text.appendRaw("{\"item\":")
        text.append(integer: link.item)
        if link.input != 0 {
            text.appendRaw(",\"input\":")
            text.append(integer: link.input)
        }
        text.appendByte(UInt8(ascii: "}"))
    }
}
