import FlowrunExpressions
import Foundation

/// Everything the sales stand-ins remember: the call log, injected faults and each API's records.
///
/// One actor for all four APIs, so `GET /_admin/calls` lists calls in the order they arrived.
public actor SalesStandInState {
    let configuration: SalesStandIns.Configuration
    private(set) var calls: [StandInCall] = []
    private var faults: [SalesAPI: StandInFault] = [:]

    // PhantomBuster: containers by id, in launch order.
    var containers: [String: PhantomContainer] = [:]
    var containerOrder: [String] = []
    // Instantly: leads and emails by id, in creation order.
    var leads: [String: JSONValue] = [:]
    var emails: [String: InstantlyEmail] = [:]
    var emailOrder: [String] = []
    // Cal.com: bookings by uid, in creation order.
    var bookings: [String: JSONValue] = [:]
    var bookingOrder: [String] = []
    var counter = 0

    init(configuration: SalesStandIns.Configuration) {
        self.configuration = configuration
    }

    /// The calls answered so far, oldest first, optionally only those of one API.
    public func recordedCalls(api: SalesAPI? = nil) -> [StandInCall] {
        guard let api else { return calls }
        return calls.filter { $0.api == api }
    }

    /// Fails the next `fault.remaining` calls of `api` (replacing an earlier fault for it).
    public func inject(_ fault: StandInFault, for api: SalesAPI) {
        faults[api] = fault.remaining > 0 ? fault : nil
    }

    /// The faults still pending, per API.
    public func pendingFaults() -> [SalesAPI: StandInFault] { faults }

    /// Forgets calls, faults and every API's records.
    public func reset() {
        calls = []
        faults = [:]
        containers = [:]
        containerOrder = []
        leads = [:]
        emails = [:]
        emailOrder = []
        bookings = [:]
        bookingOrder = []
        counter = 0
    }

    /// Consumes one pending fault of `api`, if any.
    func takeFault(for api: SalesAPI) -> StandInFault? {
        guard var fault = faults[api] else { return nil }
        fault.remaining -= 1
        faults[api] = fault.remaining > 0 ? fault : nil
        return fault
    }

    func record(_ api: SalesAPI, _ request: StandInRequest, status: Int, injectedFault: Bool) {
        calls.append(
            StandInCall(
                sequence: calls.count + 1, api: api, method: request.method, path: request.path,
                query: request.query, body: request.json, status: status, injectedFault: injectedFault))
    }

    /// A fresh number for ids, deterministic from the reset.
    func nextNumber() -> Int {
        counter += 1
        return counter
    }

    var now: Date { configuration.now() }
}

/// A PhantomBuster container: one launch of an agent.
struct PhantomContainer: Sendable {
    var id: String
    var agentID: String
    var argument: JSONValue
    var createdAt: Date
    /// Status polls left before the container reports `finished`.
    var pollsUntilFinished: Int
    var resultObject: [JSONValue]

    var isFinished: Bool { pollsUntilFinished <= 0 }
}

/// An email Instantly sent (a campaign step or a reply), as its API lists it.
struct InstantlyEmail: Sendable {
    var id: String
    var json: JSONValue
    var leadEmail: String
    var campaignID: String?
    var eaccount: String
    var subject: String
}
