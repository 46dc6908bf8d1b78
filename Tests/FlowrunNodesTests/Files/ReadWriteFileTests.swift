import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// Read/Write Files from Disk in a temporary folder each test creates and removes.
@Suite("Read/Write Files from Disk")
struct ReadWriteFileTests {
    /// A fresh folder under the system's temporary folder, removed by `remove()`.
    struct Folder {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-files-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ text: String) throws {
            let url = URL(fileURLWithPath: path + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        func read(_ name: String) -> String? {
            FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
        }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    struct Run {
        var result: ExecutionResult
        var items: [Item] { result.runData["Files"]?.last?.output?.first ?? [] }
        var error: NodeError? { result.runData["Files"]?.last?.error }
    }

    static func workflow(_ parameters: JSONObject, version: Double, continueOnFail: Bool = false) -> (graph: WorkflowGraph, diagnostics: [Diagnostic]) {
        var files: JSONObject = ["name": "Files", "type": "n8n-nodes-base.readWriteFile", "typeVersion": .number(version),
                                 "position": [400, 0], "parameters": .object(parameters)]
        if continueOnFail { files["onError"] = "continueRegularOutput" }
        let workflow: JSONValue = [
            "name": "files", "settings": ["executionOrder": "v1"],
            "nodes": [["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                      ["name": "Data", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0], "parameters": [:]],
                      .object(files)],
            "connections": ["Trigger": ["main": [[["node": "Data", "type": "main", "index": 0]]]],
                            "Data": ["main": [[["node": "Files", "type": "main", "index": 0]]]]],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "files.json")
        return WorkflowGraph.build(loaded.document!, registry: .builtIn)
    }

    static func run(_ parameters: JSONObject, version: Double = 1.1, items: [Item] = [Item()], restrictTo: String?,
                    environment: [String: String] = [:], continueOnFail: Bool = false, mode: ExecutionMode = .manual) async -> Run {
        var env = environment
        if let restrictTo { env["N8N_RESTRICT_FILE_ACCESS_TO"] = restrictTo }
        let engine = Engine(configuration: .init(environment: env))
        let graph = workflow(parameters, version: version, continueOnFail: continueOnFail).graph
        return Run(result: await engine.run(graph, options: .init(mode: mode, pinData: ["Data": items])))
    }

    static func binary(_ text: String, _ field: String = "data") -> JSONObject {
        [field: ["data": .string(Data(text.utf8).base64EncodedString()), "mimeType": "text/plain"]]
    }

    @Test("read: one item per matched file, sorted, with n8n's binary metadata")
    func readGlob() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("b.txt", "hello")
        try folder.write("a.txt", "hi")
        try folder.write("c.json", "{}")
        try folder.write(".hidden.txt", "no")
        let run = await Self.run(["operation": "read", "fileSelector": .string(folder.path + "/*.txt")], items: [Item(), Item()],
                                 restrictTo: folder.path)
        #expect(run.error == nil)
        #expect(run.items.map { $0.json["fileName"] } == ["a.txt", "b.txt", "a.txt", "b.txt"])
        #expect(run.items.map { $0.pairedItem } == [[PairedItem(item: 0)], [PairedItem(item: 0)], [PairedItem(item: 1)], [PairedItem(item: 1)]])
        let first = try #require(run.items.first)
        #expect(first.json == ["mimeType": "text/plain", "fileType": "text", "fileName": "a.txt", "fileExtension": "txt", "fileSize": "2 B"])
        let data = try #require(first.binary?["data"]?.objectValue)
        #expect(Array(data.keys) == ["mimeType", "fileType", "fileExtension", "data", "directory", "fileName", "fileSize", "bytes"])
        #expect(data["data"] == .string(Data("hi".utf8).base64EncodedString()))
        #expect(data["directory"] == .string(folder.path))
        #expect(data["bytes"] == 2)
    }

    @Test("read: options, ** and braces, the JSON type")
    func readOptions() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("deep/x/one.json", "[1]")
        try folder.write("deep/two.csv", "a,b")
        try folder.write("deep/three.md", "#")
        let run = await Self.run(["operation": "read", "fileSelector": .string(folder.path + "/deep/**/*.{json,csv}"),
                                  "options": ["dataPropertyName": "file", "fileName": "renamed.bin", "mimeType": "application/x-test"]],
                                 restrictTo: folder.path)
        #expect(run.items.count == 2)
        #expect(run.items.map { $0.json["fileExtension"] } == ["json", "csv"])
        #expect(run.items.map { $0.json["fileType"] } == ["json", "text"])
        #expect(run.items.allSatisfy { $0.json["fileName"] == "renamed.bin" && $0.json["mimeType"] == "application/x-test" })
        #expect(run.items.first?.binary?["file"]?["directory"] == .string(folder.path + "/deep/x"))
        // Brackets are literal by default; with the option off they are a character class.
        try folder.write("r[1].txt", "x")
        try folder.write("r1.txt", "y")
        let literal = await Self.run(["operation": "read", "fileSelector": .string(folder.path + "/r[1].txt")], restrictTo: folder.path)
        #expect(literal.items.map { $0.json["fileName"] } == ["r[1].txt"])
        let pattern = await Self.run(["operation": "read", "fileSelector": .string(folder.path + "/r[1].txt"), "options": ["literalBrackets": false]],
                                     restrictTo: folder.path)
        #expect(pattern.items.map { $0.json["fileName"] } == ["r1.txt"])
    }

    @Test("read: nothing matched is no items in typeVersion 1 and n8n's error in 1.1")
    func readNothing() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        let selector = folder.path + "/missing/*.txt"
        let v1 = await Self.run(["operation": "read", "fileSelector": .string(selector)], version: 1, restrictTo: folder.path)
        #expect(v1.error == nil)
        #expect(v1.items.isEmpty)
        let v11 = await Self.run(["operation": "read", "fileSelector": .string(selector)], restrictTo: folder.path)
        #expect(v11.error?.message == "No file(s) found")
        #expect(v11.error?.detail == "No file matching the selector \"\(selector)\" found")
        let failed = await Self.run(["operation": "read", "fileSelector": .string(selector)], restrictTo: folder.path, continueOnFail: true)
        #expect(failed.items.map(\.json) == [["error": "No file(s) found"]])
    }

    @Test("N8N_RESTRICT_FILE_ACCESS_TO confines reads and writes, also through symbolic links")
    func restriction() async throws {
        let allowed = try Folder()
        let outside = try Folder()
        defer { allowed.remove(); outside.remove() }
        try outside.write("secret.txt", "secret")
        try FileManager.default.createSymbolicLink(atPath: allowed.path + "/link.txt", withDestinationPath: outside.path + "/secret.txt")
        let direct = await Self.run(["operation": "read", "fileSelector": .string(outside.path + "/secret.txt")], restrictTo: allowed.path)
        #expect(direct.error?.message == "Access to the file is not allowed. Allowed paths: \(FileAccessPolicy.resolve(allowed.path))")
        let link = await Self.run(["operation": "read", "fileSelector": .string(allowed.path + "/link.txt")], restrictTo: allowed.path)
        #expect(link.error?.message.hasPrefix("Access to the file is not allowed.") == true)
        let write = await Self.run(["operation": "write", "fileName": .string(outside.path + "/new.txt")],
                                   items: [Item(binary: Self.binary("x"))], restrictTo: allowed.path)
        #expect(write.error?.message == "The file \"\(FileAccessPolicy.resolve(outside.path + "/new.txt"))\" is not writable.")
        #expect(outside.read("new.txt") == nil)
        // Several folders, `;`-separated; `.git` is blocked by default; unset means ~/.n8n-files.
        let both = await Self.run(["operation": "read", "fileSelector": .string(outside.path + "/secret.txt")], restrictTo: "\(allowed.path); \(outside.path)")
        #expect(both.items.count == 1)
        try outside.write(".git/config", "[core]")
        let git = await Self.run(["operation": "read", "fileSelector": .string(outside.path + "/.git/config")], restrictTo: "")
        #expect(git.error?.message == "Access to the file is not allowed.")
        let unset = await Self.run(["operation": "read", "fileSelector": .string(outside.path + "/secret.txt")], restrictTo: nil, environment: ["HOME": "/home/nobody"])
        #expect(unset.error?.message == "Access to the file is not allowed. Allowed paths: /home/nobody/.n8n-files")
        // flowrun's own data folder is blocked even inside an allowed folder.
        let data = await Self.run(["operation": "read", "fileSelector": .string(outside.path + "/secret.txt")], restrictTo: "",
                                  environment: ["FLOWRUN_DATA_DIR": outside.path])
        #expect(data.error?.message == "Access to the file is not allowed.")
    }

    @Test("write: the binary property into the file, truncating or appending; the item gains fileName")
    func write() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        let target = folder.path + "/out.txt"
        let item = Item(json: ["keep": 1], binary: Self.binary("abc", "file"))
        let run = await Self.run(["operation": "write", "fileName": .string(target), "dataPropertyName": "file"], items: [item], restrictTo: folder.path)
        #expect(run.error == nil)
        #expect(folder.read("out.txt") == "abc")
        #expect(run.items.first?.json == ["keep": 1, "fileName": JSONValue.string(target)])
        #expect(run.items.first?.binary == item.binary)
        _ = await Self.run(["operation": "write", "fileName": .string(target), "dataPropertyName": "file", "options": ["append": true]],
                           items: [item], restrictTo: folder.path)
        #expect(folder.read("out.txt") == "abcabc")
        _ = await Self.run(["operation": "write", "fileName": .string(target), "dataPropertyName": "file"], items: [Item(binary: Self.binary("z", "file"))],
                           restrictTo: folder.path)
        #expect(folder.read("out.txt") == "z")
    }

    @Test("write: n8n's errors for missing binary data and a missing folder; continue-on-fail items")
    func writeErrors() async throws {
        let folder = try Folder()
        defer { folder.remove() }
        let parameters: JSONObject = ["operation": "write", "fileName": .string(folder.path + "/out.txt")]
        let none = await Self.run(parameters, items: [Item(json: ["a": 1])], restrictTo: folder.path)
        #expect(none.error?.message == "This operation expects the node's input data to contain a binary file 'data', but none was found [item 0]")
        let wrong = await Self.run(parameters, items: [Item(binary: Self.binary("x", "other"))], restrictTo: folder.path)
        #expect(wrong.error?.message == "The item has no binary field 'data' [item 0]")
        let missing = folder.path + "/no/such/dir/out.txt"
        let noFolder = await Self.run(["operation": "write", "fileName": .string(missing)], items: [Item(binary: Self.binary("x"))], restrictTo: folder.path)
        #expect(noFolder.error?.message == "ENOENT: no such file or directory, open '\(missing)'")
        let continued = await Self.run(parameters, items: [Item(json: ["a": 1]), Item(binary: Self.binary("ok"))], restrictTo: folder.path, continueOnFail: true)
        #expect(continued.items.map { $0.json["error"] } == [JSONValue.string("This operation expects the node's input data to contain a binary file 'data', but none was found [item 0]"), nil])
        #expect(folder.read("out.txt") == "ok")
        let denied = FileSystemError(errno: EACCES, syscall: "open", path: "/root/x")
        #expect(ReadWriteFileNode.mappedMessage(denied, path: "/root/x", operation: .write) == "You don't have the permissions to write the file /root/x")
        #expect(ReadWriteFileNode.mappedMessage(denied, path: "/root/x", operation: .read) == "You don't have the permissions to access /root/x")
    }

    @Test("an unknown operation is a load-time error naming the parameter; dry-run does not write")
    func loadAndDryRun() async throws {
        let diagnostics = Self.workflow(["operation": "delete"], version: 1).diagnostics.filter { $0.severity == .error }.map(\.description)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.contains("operation") == true)
        #expect(diagnostics.first?.contains("unknown value \"delete\"") == true)
        let folder = try Folder()
        defer { folder.remove() }
        let dry = await Self.run(["operation": "write", "fileName": .string(folder.path + "/dry.txt")], items: [Item(binary: Self.binary("x"))],
                                 restrictTo: folder.path, mode: .dryRun)
        #expect(dry.error == nil)
        #expect(folder.read("dry.txt") == nil)
    }
}
