import Testing
@testable import FlowrunRuntime

@Suite struct IntegrationPlaceholder {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
