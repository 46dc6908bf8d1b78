import Hummingbird
import Logging

/// The webhook suite's baseline: a bare Hummingbird route that reads the same JSON body and
/// answers the same JSON as the benchmark workflow (Webhook → Set → Respond to Webhook), with no
/// workflow, no recording and no logging per request. Runs as its own process
/// (`flowbench --bare-server-port N`), as `flowrun serve` does.
enum BareServer {
    struct Input: Decodable {
        var name: String
    }

    struct Greeting: ResponseEncodable {
        var greeting: String
    }

    static func run(port: Int) async throws {
        var logger = Logger(label: "flowbench.bare")
        logger.logLevel = .notice
        let router = Router()
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/webhook/\(WebhookSuite.path)") { request, context -> Greeting in
            let input = try await request.decode(as: Input.self, context: context)
            return Greeting(greeting: "Hello, \(input.name)!")
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"), logger: logger)
        try await app.runService()
    }
}
