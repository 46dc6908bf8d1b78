import FlowrunCore
import FlowrunExpressions
import Foundation

/// Read/Write Files from Disk (`n8n-nodes-base.readWriteFile`, typeVersion 1 and 1.1): `read`
/// turns every file a glob matches into an item with the file as binary data; `write` stores an
/// item's binary property in a file. Access follows n8n's `N8N_RESTRICT_FILE_ACCESS_TO`,
/// `N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES` and `N8N_BLOCK_FILE_PATTERNS` (FileAccessPolicy). It
/// declares side effects, so `dry-run` describes instead of touching the disk
/// (docs: nodes/n8n-nodes-base.readWriteFile.md).
struct ReadWriteFileNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.readWriteFile", typeVersions: [1, 1.1], displayName: "Read/Write Files from Disk",
        hasSideEffects: true)

    enum Operation: String, CaseIterable {
        case read, write
    }

    struct ReadParameters {
        var fileSelector: Param<String>
        var fileExtension: Param<String?>
        var fileName: Param<String?>
        var mimeType: Param<String?>
        var dataPropertyName: Param<String>
        var literalBrackets: Param<Bool>
    }

    struct WriteParameters {
        var fileName: Param<String>
        var dataPropertyName: Param<String>
        var append: Param<Bool>
    }

    let operation: Operation
    let read: ReadParameters
    let write: WriteParameters
    /// typeVersion 1.1 fails when nothing matches; 1 returns no items.
    let failsWhenNothingMatches: Bool

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        let choice = p["operation"].choice(Operation.allCases.map(\.rawValue), default: "read")
        if choice.isExpression { p["operation"].report("must be \"read\" or \"write\", not an expression") }
        operation = choice.constantValue.flatMap(Operation.init(rawValue:)) ?? .read
        let options = p["options"]
        read = ReadParameters(
            fileSelector: p["fileSelector"].string(), fileExtension: options["fileExtension"].optionalString(),
            fileName: options["fileName"].optionalString(), mimeType: options["mimeType"].optionalString(),
            dataPropertyName: options["dataPropertyName"].string(default: "data"),
            literalBrackets: options["literalBrackets"].bool(default: true))
        write = WriteParameters(
            fileName: p["fileName"].string(), dataPropertyName: p["dataPropertyName"].string(default: "data"),
            append: options["append"].bool(default: false))
        failsWhenNothingMatches = c.typeVersion > 1
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let policy = FileAccessPolicy(environment: context.evaluation.environment)
        var output: [Item] = []
        for (i, item) in input.main.enumerated() {
            var path = ""
            do {
                switch operation {
                case .read:
                    path = try read.fileSelector.value(for: i, in: context)
                    output += try readFiles(selector: path, item: i, policy: policy, context: context)
                case .write:
                    path = try write.fileName.value(for: i, in: context)
                    output.append(try writeFile(path, item: item, index: i, policy: policy, context: context))
                }
            } catch where context.continueOnFail {
                output.append(Item(json: ["error": .string(Self.mappedMessage(error, path: path, operation: operation))],
                                   pairedItem: [PairedItem(item: i)]))
            } catch let error as FileSystemError {
                throw NodeError(.operation, error.message, node: context.nodeName, itemIndex: i)
            }
        }
        return [output]
    }

    private func readFiles(selector: String, item i: Int, policy: FileAccessPolicy, context: ExecutionContext) throws -> [Item] {
        let literal = try read.literalBrackets.value(for: i, in: context)
        let field = try read.dataPropertyName.value(for: i, in: context)
        let files = FileGlob(selector, literalBrackets: literal).matches()
        if files.isEmpty && failsWhenNothingMatches {
            let escapable = selector.contains { "[]()".contains($0) }
            let hint = !escapable ? "" : literal
                ? ". If [ ] and ( ) were meant as a character class or group, turn off 'Treat Brackets and Parentheses as Literal' in Options"
                : ". If [ ] and ( ) were meant as literal characters, turn on 'Treat Brackets and Parentheses as Literal' in Options"
            throw NodeError(.operation, "No file(s) found", detail: "No file matching the selector \"\(selector)\" found\(hint)",
                            node: context.nodeName, parameter: "fileSelector", itemIndex: i)
        }
        let fileName = try read.fileName.value(for: i, in: context)
        let fileExtension = try read.fileExtension.value(for: i, in: context)
        let mimeType = try read.mimeType.value(for: i, in: context)
        return try files.map { path in
            let resolved = try FileAccessPolicy.resolveReal(path).get()
            if policy.isBlocked(resolved) {
                let allowed = policy.allowedPaths.isEmpty ? "" : " Allowed paths: \(policy.allowedPaths.joined(separator: ", "))"
                throw NodeError(.operation, "Access to the file is not allowed.\(allowed)", node: context.nodeName,
                                parameter: "fileSelector", itemIndex: i)
            }
            var binary = BinaryFile.data(try Self.contents(of: resolved), path: path)
            if let fileName { binary["fileName"] = .string(fileName) }
            if let fileExtension { binary["fileExtension"] = .string(fileExtension) }
            if let mimeType { binary["mimeType"] = .string(mimeType) }
            var json = JSONObject()
            for key in ["mimeType", "fileType", "fileName", "fileExtension", "fileSize"] { if let v = binary[key] { json[key] = v } }
            return Item(json: json, binary: [field.isEmpty ? "data" : field: .object(binary)], pairedItem: [PairedItem(item: i)])
        }
    }

    private func writeFile(_ fileName: String, item: Item, index i: Int, policy: FileAccessPolicy, context: ExecutionContext) throws -> Item {
        let field = try write.dataPropertyName.value(for: i, in: context)
        let append = try write.append.value(for: i, in: context)
        let bytes = try Self.binaryBytes(item, field: field, index: i, context: context)
        let resolved = try FileAccessPolicy.resolveReal(fileName).get()
        if policy.isBlocked(resolved) {
            throw NodeError(.operation, "The file \"\(resolved)\" is not writable.", node: context.nodeName, parameter: "fileName", itemIndex: i)
        }
        try Self.write(bytes, to: resolved, append: append)
        var json = item.json
        json["fileName"] = .string(fileName)
        return Item(json: json, binary: item.binary, pairedItem: [PairedItem(item: i)])
    }

    /// n8n's `assertBinaryData`, then the bytes of the base64 `data`.
    static func binaryBytes(_ item: Item, field: String, index i: Int, context: ExecutionContext) throws -> [UInt8] {
        guard let binary = item.binary else {
            throw NodeError(.operation, "This operation expects the node's input data to contain a binary file '\(field)', but none was found [item \(i)]",
                            detail: "Make sure that the previous node outputs a binary file", node: context.nodeName,
                            parameter: "dataPropertyName", itemIndex: i)
        }
        guard let entry = binary[field]?.objectValue else {
            throw NodeError(.operation, "The item has no binary field '\(field)' [item \(i)]",
                            detail: "Check that the parameter where you specified the input binary field name is correct, and that it matches a field in the binary input",
                            node: context.nodeName, parameter: "dataPropertyName", itemIndex: i)
        }
        guard let text = entry["data"]?.stringValue, let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw NodeError(.operation, "The binary field '\(field)' does not hold base64 data", node: context.nodeName,
                            parameter: "dataPropertyName", itemIndex: i)
        }
        return Array(data)
    }

    /// The message a continue-on-fail item carries: n8n's `errorMapper`.
    static func mappedMessage(_ error: any Error, path: String, operation: Operation) -> String {
        if let fs = error as? FileSystemError {
            if fs.errno == EACCES {
                return operation == .read ? "You don't have the permissions to access \(fs.path)"
                    : "You don't have the permissions to write the file \(fs.path)"
            }
            return fs.message
        }
        return (error as? NodeError)?.message ?? "\(error)"
    }
}
