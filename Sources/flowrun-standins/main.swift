import ArgumentParser
import FlowrunStandIns
import Foundation
import Hummingbird
import Logging

/// `flowrun-standins`: the local stand-ins for the Sales Machine's paid APIs on one port.
///
/// Path prefixes: /phantombuster, /instantly, /calcom, /builtwith, /anthropic (see
/// docs/sales-machine.md), and
/// /_admin for the call log, fault injection and webhook bodies.
@main
struct FlowrunStandInsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowrun-standins",
        abstract: "Serve local stand-ins for PhantomBuster, Instantly, Cal.com, BuiltWith and Anthropic on one port.",
        discussion: """
            Each API is served under its prefix with the vendor's paths: a workflow's base URL is
            http://HOST:PORT/phantombuster (for https://api.phantombuster.com), /instantly, /calcom,
            /builtwith, /anthropic (for https://api.anthropic.com). Keys default to the demo keys in docs/sales-machine.md; override them with the
            environment variables STANDIN_PHANTOMBUSTER_KEY, STANDIN_INSTANTLY_KEY, STANDIN_CALCOM_KEY,
            STANDIN_BUILTWITH_KEY, STANDIN_ANTHROPIC_KEY (unset: any key). GET /_admin/calls lists what was called; POST /_admin/faults
            {"api", "count", "status", "retryAfter"} fails the next calls of an API.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one; the line printed at start says which).")
    var port = 8099

    @Option(help: "Profiles a LinkedIn search export returns.")
    var profilesPerSearch = 35

    @Option(help: "Status polls a PhantomBuster container answers 'running' before it finishes.")
    var pollsUntilFinished = 2

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "info"

    func run() async throws {
        var configuration = SalesStandIns.Configuration()
        let environment = ProcessInfo.processInfo.environment
        if let key = environment["STANDIN_PHANTOMBUSTER_KEY"] { configuration.phantomBusterKey = key }
        if let key = environment["STANDIN_INSTANTLY_KEY"] { configuration.instantlyKey = key }
        if let key = environment["STANDIN_CALCOM_KEY"] { configuration.calcomKey = key }
        if let key = environment["STANDIN_BUILTWITH_KEY"] { configuration.builtWithKey = key }
        configuration.profilesPerSearch = profilesPerSearch
        configuration.pollsUntilFinished = pollsUntilFinished

        var logger = Logger(label: "flowrun-standins")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let router = Router()
        SalesStandIns(configuration: configuration).addRoutes(to: router)
        // Anthropic's Messages API under /anthropic (the anthropicApi credential's url).
        // Claude answers the Sales Machine's prompts with JSON (talking points, reply qualifications).
        let anthropic = AnthropicStandIn(apiKey: environment["STANDIN_ANTHROPIC_KEY"])
        for (marker, text) in SalesClaudeReplies.all { anthropic.reply(whenPromptContains: marker, with: text) }
        anthropic.addRoutes(to: router.group("anthropic"))
        let host = self.host
        try await StandInServer.run(router: router, host: host, port: port, logger: logger) { bound in
            // Unbuffered, so a script reading the first line learns the port at once.
            FileHandle.standardOutput.write(Data("flowrun-standins listening on http://\(host):\(bound)\n".utf8))
        }
    }
}
