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

    @Test("a Wait node that resumes on a webhook leaves the execution waiting: the resume URL is printed, exit 0")
    func waitingOnWebhook() throws {
        let workflow = """
            {"name": "t", "nodes": [
              {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
              {"name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [200, 0],
               "parameters": {"resume": "webhook", "httpMethod": "POST", "options": {}}},
              {"name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [400, 0], "parameters": {}}
            ], "connections": {"Start": {"main": [[{"node": "Wait", "type": "main", "index": 0}]]},
                               "Wait": {"main": [[{"node": "After", "type": "main", "index": 0}]]}}}
            """
        let dir = try CLIRunner.folder(["wait.json": workflow])
        let out = try CLIRunner.run(
            ["run", "wait.json"], in: dir,
            environment: ["FLOWRUN_DATA_DIR": dir.appendingPathComponent("data").path, "WEBHOOK_URL": "https://hooks.example/"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("is waiting at node \"Wait\""), "\(out.stdout)")
        #expect(out.stdout.contains("a POST request to https://hooks.example/webhook-waiting/"), "\(out.stdout)")
        let list = try CLIRunner.run(["executions", "list"], in: dir, environment: ["FLOWRUN_DATA_DIR": dir.appendingPathComponent("data").path])
        #expect(list.stdout.contains("waiting"), "\(list.stdout)")
    }
}
