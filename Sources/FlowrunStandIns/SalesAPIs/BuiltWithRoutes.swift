import FlowrunExpressions
import Foundation
import Hummingbird

/// BuiltWith Domain API under `/builtwith`.
///
/// Shapes from api.builtwith.com/domain-api: `GET /v21/api.json?KEY=<key>&LOOKUP=<domain>` →
/// `{"Results": [{"Result": {"Paths": [{"Domain", "Url", "SubDomain", "Technologies": [{"Name",
/// "Tag", "Categories", "FirstDetected", "LastDetected", "IsPremium", "Link", "Description"}]}],
/// "IsDB", "Spend"}, "Meta": {...}, "Attributes": {...}, "Lookup", "FirstIndexed", "LastIndexed"}],
/// "Errors": [], "Trust": null}`. BuiltWith reports a bad key or lookup in `Errors`
/// (`{"Lookup", "Message", "Code"}`) with HTTP 200; the stand-in does the same. Times are epoch ms.
struct BuiltWithRoutes: Sendable {
    let state: SalesStandInState

    static func errors(_ lookup: String?, _ message: String) -> JSONValue {
        [
            "Results": [], "Trust": .null,
            "Errors": [["Lookup": lookup.map { .string($0) } ?? .null, "Message": .string(message), "Code": -1]],
        ]
    }

    func add(to router: Router<BasicRequestContext>) {
        let dispatch = StandInDispatch(api: .builtwith, state: state) { status in
            Self.errors(nil, status == 429 ? "Rate limit exceeded" : "Service unavailable")
        }
        let state = self.state
        router.get("/builtwith/v21/api.json") { request, context in
            try await dispatch.handle(request, context: context) { await Self.lookup($0, state) }
        }
    }

    static func lookup(_ request: StandInRequest, _ state: SalesStandInState) async -> StandInReply {
        guard request.query["KEY"] == state.configuration.builtWithKey else {
            return StandInReply(200, errors(request.query["LOOKUP"], "Invalid API key"))
        }
        guard let lookup = request.query["LOOKUP"]?.lowercased(), lookup.contains(".") else {
            return StandInReply(200, errors(request.query["LOOKUP"], "Invalid LOOKUP domain"))
        }
        let firstSeen = 1_577_836_800_000.0  // 2020-01-01, fixed so answers repeat
        let technologies: [JSONValue] = DemoData.technologies(for: lookup).enumerated().map { index, tech in
            [
                "Name": .string(tech.name), "Tag": .string(tech.tag), "Categories": [.string(tech.category)],
                "FirstDetected": .number(firstSeen + Double(index) * 86_400_000),
                "LastDetected": .number(firstSeen + 1_000 * 86_400_000), "IsPremium": "no",
                "Link": .string("https://\(DemoData.slug(tech.name)).example"),
                "Description": .string("\(tech.name) (\(tech.category))."),
            ]
        }
        let company = lookup.split(separator: ".").first.map(String.init) ?? lookup
        let result: JSONValue = [
            "Result": [
                "Paths": [["Domain": .string(lookup), "Url": "", "SubDomain": "", "Technologies": .array(technologies)]],
                "IsDB": "True", "Spend": .number(Double(DemoData.stableHash(lookup) % 900 + 100)),
            ],
            "Meta": [
                "CompanyName": .string(company), "Vertical": "Technology And Computing", "Social": [],
                "City": .null, "Country": "EU", "Names": .null, "Emails": .null,
            ],
            "Attributes": ["Employees": .number(Double(DemoData.stableHash(lookup) % 200 + 10)), "MJRank": 0],
            "Lookup": .string(lookup), "FirstIndexed": .number(firstSeen), "LastIndexed": .number(firstSeen),
        ]
        return StandInReply(200, ["Results": [result], "Errors": [], "Trust": .null])
    }
}
