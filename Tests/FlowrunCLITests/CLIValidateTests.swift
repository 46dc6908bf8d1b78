import FlowrunExpressions
import Foundation
import Testing

@Suite("flowrun validate")
struct CLIValidateTests {
    @Test("a valid file exits 0 and says so")
    func valid() throws {
        let dir = try CLIRunner.folder(["ok.json": CLIRunner.valid])
        let out = try CLIRunner.run(["validate", "ok.json"], in: dir)
        #expect(out.status == 0)
        #expect(out.stdout == "ok.json: valid\n")
    }

    @Test("an invalid file exits 1 and names file, node, code and reason")
    func invalid() throws {
        let dir = try CLIRunner.folder(["bad.json": CLIRunner.invalid])
        let out = try CLIRunner.run(["validate", "bad.json"], in: dir)
        #expect(out.status == 1)
        #expect(out.stdout.contains("bad.json:3:20: error: node \"Start\": node #2 has the same name as node #1"))
        #expect(out.stdout.contains("[duplicateNodeName]"))
        #expect(out.stdout.contains("\"Missing\", but no node has that name"))
    }

    @Test("usage errors exit 2", arguments: [["validate"], ["validate", "--bogus", "x.json"],
                                              ["validate", "--format", "xml", "x.json"], ["nonsense"],
                                              ["graph"], ["convert", "x.json", "--to", "toml"]])
    func usage(_ arguments: [String]) throws {
        let out = try CLIRunner.run(arguments)
        #expect(out.status == 2, "\(out.stderr)")
        #expect(!out.stderr.isEmpty)
    }

    @Test("--help and --version exit 0")
    func help() throws {
        let root = try CLIRunner.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("validate") && root.stdout.contains("Exit codes"))
        let validate = try CLIRunner.run(["validate", "--help"])
        #expect(validate.status == 0 && validate.stdout.contains("--format"))
        #expect(try CLIRunner.run(["--version"]).status == 0)
    }

    @Test("--format json prints one object per file, leaving absent fields out")
    func json() throws {
        let dir = try CLIRunner.folder([
            "a/ok.json": CLIRunner.valid, "a/b/bad.json": CLIRunner.invalid, "a/b/broken.yaml": "nodes: [\n",
            "a/notes.txt": "not a workflow", "a/.build/junk.json": "[]", "a/.hidden.yaml": "x: [",
        ])
        let out = try CLIRunner.run(["validate", "--format", "json", "a"], in: dir)
        #expect(out.status == 1)
        let objects = try out.lines.map { try #require(JSONValue(parsing: $0).objectValue) }
        #expect(objects.map { $0["file"]?.stringValue } == ["a/b/bad.json", "a/b/broken.yaml", "a/ok.json"])
        #expect(objects.map { $0["valid"] } == [false, false, true])
        #expect(objects.allSatisfy { Array($0.keys) == ["file", "valid", "diagnostics"] })
        let duplicate = try #require(objects[0]["diagnostics"]?.arrayValue?.first?.objectValue)
        #expect(Array(duplicate.keys) == ["severity", "code", "node", "message", "line", "column"])
        #expect(duplicate["code"] == "duplicateNodeName" && duplicate["severity"] == "error")
        let yaml = try #require(objects[1]["diagnostics"]?.arrayValue?.first?.objectValue)
        #expect(yaml["code"] == "invalidYAML")
        #expect(yaml["line"]?.numberValue != nil && yaml["column"]?.numberValue != nil)
        #expect(objects[2]["diagnostics"] == [])
    }

    @Test("a missing file is reported as unreadable, exit 1")
    func missing() throws {
        let out = try CLIRunner.run(["validate", "--format", "json", "/nonexistent/flowrun.json"])
        #expect(out.status == 1)
        let line = try #require(JSONValue(parsing: out.stdout).objectValue)
        let diagnostic = try #require(line["diagnostics"]?.arrayValue?.first?.objectValue)
        #expect(diagnostic["code"] == "unreadableFile")
        #expect(Array(diagnostic.keys) == ["severity", "code", "message"])
    }

    @Test("a folder, a device or a missing path named as a file is reported as unreadable")
    func specialFiles() throws {
        let dir = try CLIRunner.folder(["x/readme.txt": "hi"])
        let out = try CLIRunner.run(["validate", "/dev/null", "missing.json"], in: dir)
        #expect(out.status == 1)
        #expect(out.stdout.contains("/dev/null: error: not a regular file"))
        #expect(out.stdout.contains("missing.json: error: no such file"))
    }

    @Test("folders without workflow files are a usage error only when nothing else is found")
    func emptyFolder() throws {
        let dir = try CLIRunner.folder(["x/readme.txt": "hi", "y/ok.json": CLIRunner.valid])
        let none = try CLIRunner.run(["validate", "x"], in: dir)
        #expect(none.status == 2)
        #expect(none.stderr.contains("No workflow files") && none.stderr.contains("flowrun validate"))
        let some = try CLIRunner.run(["validate", "x", "y"], in: dir)
        #expect(some.status == 0 && some.stdout == "y/ok.json: valid\n")
    }

    @Test("warnings alone keep a file valid; --credentials silences configured ones")
    func credentials() throws {
        let workflow = """
            {"nodes":[{"parameters":{},"name":"Hook","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0],
              "credentials":{"httpHeaderAuth":{"id":"7","name":"Header"}}}],"connections":{}}
            """
        let dir = try CLIRunner.folder([
            "w.json": workflow, "creds.json": #"[{"id":"7","name":"Header","type":"httpHeaderAuth","data":"x"}]"#,
        ])
        let warned = try CLIRunner.run(["validate", "w.json"], in: dir)
        #expect(warned.status == 0)
        #expect(warned.stdout.contains("warning: node \"Hook\": uses the httpHeaderAuth credential \"Header\""))
        let quiet = try CLIRunner.run(["validate", "--credentials", "creds.json", "w.json"], in: dir)
        #expect(quiet.status == 0 && quiet.stdout == "w.json: valid\n")
        #expect(try CLIRunner.run(["validate", "--credentials", "nope.json", "w.json"], in: dir).status == 2)
        let fromEnvironment = try CLIRunner.run(["validate", "w.json"], in: dir,
                                                environment: ["FLOWRUN_CREDENTIALS_FILE": "creds.json"])
        #expect(fromEnvironment.stdout == "w.json: valid\n")
    }
}
