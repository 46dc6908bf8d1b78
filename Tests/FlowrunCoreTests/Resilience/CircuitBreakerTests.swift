import FlowrunCore
import Testing

@Suite("Circuit breaker state machine")
struct CircuitBreakerTests {
    let configuration = CircuitBreaker.Configuration(failureThreshold: 3, coolDown: .seconds(30))

    @Test("closed → open after three consecutive failures → half-open after the cool-down → closed on success")
    func fullCycle() {
        var breaker = CircuitBreaker()
        var transitions: [CircuitBreaker.Transition] = []
        for t in [0.0, 100, 200] {
            #expect(breaker.admit(now: t, configuration: configuration).0 == .allowed(probe: false))
            if let tr = breaker.recordFailure(now: t, configuration: configuration) { transitions.append(tr) }
        }
        #expect(breaker.state == .open)
        #expect(transitions == [.init(from: .closed, to: .open, failures: 3, at: 200)])
        #expect(breaker.admit(now: 30_199, configuration: configuration).0 == .rejected(retryAt: 30_200))
        let (admission, halfOpen) = breaker.admit(now: 30_200, configuration: configuration)
        #expect(admission == .allowed(probe: true))
        #expect(halfOpen == .init(from: .open, to: .halfOpen, failures: 3, at: 30_200))
        // Only one probe: a second caller is rejected while the probe runs.
        #expect(breaker.admit(now: 30_300, configuration: configuration).0 == .rejected(retryAt: 60_200))
        #expect(breaker.recordSuccess(now: 30_400) == .init(from: .halfOpen, to: .closed, failures: 0, at: 30_400))
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
    }

    @Test("a failed probe opens the breaker again for a full cool-down")
    func failedProbe() {
        var breaker = CircuitBreaker()
        for _ in 0..<3 { _ = breaker.recordFailure(now: 0, configuration: configuration) }
        _ = breaker.admit(now: 30_000, configuration: configuration)
        #expect(breaker.recordFailure(now: 30_050, configuration: configuration) == .init(from: .halfOpen, to: .open, failures: 4, at: 30_050))
        #expect(breaker.admit(now: 60_049, configuration: configuration).0 == .rejected(retryAt: 60_050))
        #expect(breaker.admit(now: 60_050, configuration: configuration).0 == .allowed(probe: true))
    }

    @Test("a success between failures resets the count: failures must be consecutive")
    func consecutive() {
        var breaker = CircuitBreaker()
        _ = breaker.recordFailure(now: 0, configuration: configuration)
        _ = breaker.recordFailure(now: 1, configuration: configuration)
        #expect(breaker.recordSuccess(now: 2) == nil)
        _ = breaker.recordFailure(now: 3, configuration: configuration)
        #expect(breaker.recordFailure(now: 4, configuration: configuration) == nil)
        #expect(breaker.state == .closed)
        #expect(breaker.recordFailure(now: 5, configuration: configuration)?.to == .open)
    }

    @Test("a probe that never reports (its process died) is replaced after another cool-down")
    func lostProbe() {
        var breaker = CircuitBreaker()
        for _ in 0..<3 { _ = breaker.recordFailure(now: 0, configuration: configuration) }
        #expect(breaker.admit(now: 30_000, configuration: configuration).0 == .allowed(probe: true))
        #expect(breaker.admit(now: 59_999, configuration: configuration).0 == .rejected(retryAt: 60_000))
        #expect(breaker.admit(now: 60_000, configuration: configuration) == (.allowed(probe: true), nil))
    }

    @Test("a breaker survives a JSON round trip (what stores persist)")
    func codable() throws {
        var breaker = CircuitBreaker()
        for _ in 0..<3 { _ = breaker.recordFailure(now: 42, configuration: configuration) }
        let data = try JSONEncoder().encode(breaker)
        #expect(try JSONDecoder().decode(CircuitBreaker.self, from: data) == breaker)
    }
}

import Foundation
