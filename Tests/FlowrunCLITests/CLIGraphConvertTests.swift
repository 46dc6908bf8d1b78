import FlowrunExpressions
import Foundation
import Testing

@Suite("flowrun graph and convert")
struct CLIGraphConvertTests {
    @Test("graph writes Mermaid by default and DOT on request")
    func graph() throws {
        let dir = try CLIRunner.folder(["ok.json": CLIRunner.valid])
        let mermaid = try CLIRunner.run(["graph", "ok.json"], in: dir)
        #expect(mermaid.status == 0)
        #expect(mermaid.stdout.hasPrefix("flowchart LR"))
        #expect(mermaid.stdout.contains("-->|\"true\"|"))
        let dot = try CLIRunner.run(["graph", "ok.json", "--format", "dot", "-o", "g.dot"], in: dir)
        #expect(dot.status == 0 && dot.stdout.isEmpty)
        let written = try String(contentsOf: dir.appendingPathComponent("g.dot"), encoding: .utf8)
        #expect(written.hasPrefix("digraph workflow {"))
    }

    @Test("graph of a file that is not a workflow exits 1")
    func graphInvalid() throws {
        let dir = try CLIRunner.folder(["x.json": "[1]"])
        let out = try CLIRunner.run(["graph", "x.json"], in: dir)
        #expect(out.status == 1 && out.stderr.contains("invalidWorkflow"))
    }

    @Test("convert JSON → YAML → JSON gives the same workflow, unknown keys included")
    func roundTrip() throws {
        let dir = try CLIRunner.folder(["ok.json": CLIRunner.valid])
        #expect(try CLIRunner.run(["convert", "ok.json", "--to", "yaml", "-o", "ok.yaml"], in: dir).status == 0)
        let yaml = try String(contentsOf: dir.appendingPathComponent("ok.yaml"), encoding: .utf8)
        #expect(yaml.contains("customKey:"))
        let back = try CLIRunner.run(["convert", "ok.yaml"], in: dir)
        #expect(back.status == 0)
        #expect(try JSONValue(parsing: back.stdout) == JSONValue(parsing: CLIRunner.valid))
    }

    @Test("convert can start YAML with a schema comment for editors, which reading ignores")
    func schemaComment() throws {
        let dir = try CLIRunner.folder(["ok.json": CLIRunner.valid])
        let out = try CLIRunner.run(["convert", "ok.json", "-o", "ok.yaml", "--schema-comment", "s.json"], in: dir)
        #expect(out.status == 0)
        let yaml = try String(contentsOf: dir.appendingPathComponent("ok.yaml"), encoding: .utf8)
        #expect(yaml.hasPrefix("# yaml-language-server: $schema=s.json\nname: Ok\n"))
        let back = try CLIRunner.run(["convert", "ok.yaml"], in: dir)
        #expect(try JSONValue(parsing: back.stdout) == JSONValue(parsing: CLIRunner.valid))
    }

    @Test("convert fills what a YAML author leaves out, so n8n can import it")
    func authoring() throws {
        let yaml = """
            name: Minimal
            nodes:
              - name: Start
                type: n8n-nodes-base.manualTrigger
                typeVersion: 1
              - name: Wait a bit
                type: n8n-nodes-base.noOp
                typeVersion: 1
            connections:
              Start:
                main:
                  - - node: Wait a bit

            """
        let dir = try CLIRunner.folder(["m.yaml": yaml])
        let out = try CLIRunner.run(["convert", "m.yaml", "--to", "json"], in: dir)
        #expect(out.status == 0)
        let nodes = try #require(JSONValue(parsing: out.stdout)["nodes"]?.arrayValue)
        for node in nodes {
            #expect(node["id"]?.stringValue?.count == 36)
            #expect(node["position"]?.arrayValue?.count == 2)
            #expect(node["parameters"] == [:])
        }
        let target = JSONValue.object(["node": "Wait a bit", "type": "main", "index": 0])
        #expect(try JSONValue(parsing: out.stdout)["connections"]?["Start"]?["main"] == [[target]])
    }

    @Test("convert refuses a file it cannot read completely, exit 1")
    func refuses() throws {
        let dir = try CLIRunner.folder(["bad.json": #"{"nodes":[42],"connections":{}}"#, "broken.yaml": "a: [\n"])
        let out = try CLIRunner.run(["convert", "bad.json", "--to", "yaml"], in: dir)
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty && out.stderr.contains("invalidNode"))
        #expect(try CLIRunner.run(["convert", "broken.yaml"], in: dir).status == 1)
    }

    @Test("convert keeps a file with graph problems as it is and reports them")
    func convertsWithProblems() throws {
        let dir = try CLIRunner.folder(["bad.json": CLIRunner.invalid])
        let out = try CLIRunner.run(["convert", "bad.json", "--to", "yaml"], in: dir)
        #expect(out.status == 0)
        #expect(out.stderr.contains("duplicateNodeName") && out.stdout.contains("name: Start"))
    }
}
