import Testing
@testable import FlowrunServer

@Suite struct ServerPlaceholder {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
