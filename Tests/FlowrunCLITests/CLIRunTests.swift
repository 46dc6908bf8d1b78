import Foundation
import Testing

@Suite("flowrun run")
struct CLIRunTests {
    @Test("a structurally invalid file is refused before anything runs, naming file, node and code")
    func refusesInvalid() throws {
        let dir = try CLIRunner.folder(["bad.json": CLIRunner.invalid])
        let out = try CLIRunner.run(["run", "bad.json"], in: dir)
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("bad.json") && out.stderr.contains("[duplicateNodeName]"))
    }

    @Test("a valid file runs and prints the last node's items as JSON")
    func runsValid() throws {
        let workflow = """
            {"name": "t", "nodes": [
              {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
              {"name": "Set", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0], "parameters": {
                "assignments": {"assignments": [{"id": "1", "name": "sum", "value": "={{ 40 + 2 }}", "type": "number"}]}}}
            ], "connections": {"Start": {"main": [[{"node": "Set", "type": "main", "index": 0}]]}}}
            """
        let dir = try CLIRunner.folder(["ok.json": workflow])
        let out = try CLIRunner.run(["run", "ok.json", "--output", "json"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\"sum\"") && out.stdout.contains("42"))
    }
}
