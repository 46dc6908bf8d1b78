import Testing

@testable import FlowrunExpressions

@Suite("Runtime value layout")
struct ValueLayoutTests {
    @Test("a JSValue stays small: large payloads are boxed, so copying a value is cheap")
    func valueIsSmall() {
        // A String (16 bytes) plus the case tag; anything bigger is copied on every move.
        #expect(MemoryLayout<JSValue>.size <= 17)
    }
}
