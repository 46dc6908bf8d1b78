import FlowrunExpressions
import Testing

/// The chunked JSON writer gives exactly `jsonString()`'s text, in chunks of the size asked for.
@Suite("JSON writer")
struct JSONWriterTests {
    static let sample: JSONValue = [
        "b": 1, "a": [true, false, .null, 1.5, -0.25, 1e21, 123456789012],
        "text": "é\n\"quoted\" \\ \u{1}\u{1F600} tab\t", "2": "index key first", "10": [:], "nested": ["x": [[], [["y": "z"]]]],
    ]

    static func streamed(_ value: some JSONWritable, chunkSize: Int) throws -> (text: [UInt8], chunks: [Int]) {
        var text: [UInt8] = []
        var chunks: [Int] = []
        let count = try value.streamJSON(chunkSize: chunkSize) { chunk in
            text.append(contentsOf: chunk)
            chunks.append(chunk.count)
        }
        #expect(count == text.count)
        return (text, chunks)
    }

    @Test("streamed text equals jsonString() for every chunk size; chunks are full but the last", arguments: [16, 17, 64, 1 << 16])
    func streamedEqualsString(chunkSize: Int) throws {
        let expected = Array(Self.sample.jsonString().utf8)
        let (text, chunks) = try Self.streamed(Self.sample, chunkSize: chunkSize)
        #expect(text == expected)
        #expect(chunks.dropLast().allSatisfy { $0 == chunkSize })
        #expect(Self.sample.jsonByteCount() == expected.count)
        #expect(Self.sample.jsonString(byteCount: expected.count) == Self.sample.jsonString())
    }

    @Test("items are written as item.jsonValue() writes them, without the wrapping objects")
    func items() throws {
        let items = [
            Item(json: ["a": 1]),
            Item(json: ["b": "x"], pairedItem: [PairedItem(item: 3)]),
            Item(json: [:], binary: ["data": ["mimeType": "text/plain"]], pairedItem: [PairedItem(item: 0), PairedItem(item: 2, input: 1)],
                 error: ["message": "boom"]),
        ]
        for item in items {
            #expect(String(decoding: try Self.streamed(item, chunkSize: 16).text, as: UTF8.self) == item.jsonValue().jsonString())
            #expect(item.jsonByteCount() == item.jsonValue().jsonString().utf8.count)
        }
    }

    struct Failure: Error {}

    @Test("the consumer's first error stops the output and is rethrown")
    func consumerError() {
        var calls = 0
        #expect(throws: Failure.self) {
            try Self.sample.streamJSON(chunkSize: 16) { _ in
                calls += 1
                if calls == 2 { throw Failure() }
            }
        }
        #expect(calls == 2)
    }
}
