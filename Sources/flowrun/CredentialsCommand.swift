import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation

/// `flowrun credentials encrypt|decrypt|set|list|rotate`
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Manage a credentials file: encrypt or decrypt it, set fields, list what it holds.",
        discussion: """
            A credentials file is n8n's `export:credentials --decrypted` JSON (a list of {id, name, type, \
            data}) or the same in YAML. It can be encrypted at rest (AES-256-GCM) with the key in \
            $FLOWRUN_CREDENTIALS_KEY: 32 random bytes in base64 (openssl rand -base64 32) or a passphrase \
            of at least 16 characters. FILE defaults to $FLOWRUN_CREDENTIALS. See docs/credentials.md.

            Examples:
              flowrun credentials list creds.json
              flowrun credentials set creds.json --type postgres --name "Main DB" host=db.local password=env:PGPASS
              FLOWRUN_CREDENTIALS_KEY=... flowrun credentials encrypt creds.json
              FLOWRUN_CREDENTIALS_KEY=... flowrun credentials decrypt creds.json > plain.json
              FLOWRUN_CREDENTIALS_KEY=old NEW_KEY=new flowrun credentials rotate creds.json --new-key-env NEW_KEY
            """,
        subcommands: [Encrypt.self, Decrypt.self, SetFields.self, List.self, Rotate.self]
    )

    /// The file argument shared by the subcommands.
    struct FileArgument: ParsableArguments {
        @Argument(help: "The credentials file (default $FLOWRUN_CREDENTIALS).")
        var file: String?

        func path() throws -> String {
            if let file { return file }
            if let env = ProcessInfo.processInfo.environment["FLOWRUN_CREDENTIALS"], !env.isEmpty { return env }
            throw ValidationError("Name the credentials file, or set FLOWRUN_CREDENTIALS.")
        }
    }

    static var key: String? { ProcessInfo.processInfo.environment[CredentialEncryption.keyVariable] }

    /// Runs `body`, printing a credentials error as `error: …` and exiting 1.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CredentialError {
            printError("error: \(error.message)")
            throw ExitCode(CLIExit.failure)
        }
    }

    struct Encrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encrypt",
            abstract: "Encrypt a plain credentials file in place with $FLOWRUN_CREDENTIALS_KEY.")
        @OptionGroup var target: FileArgument

        func run() async throws {
            let path = try target.path()
            try CredentialsCommand.reporting {
                let file = try CredentialFile.load(path, keyText: CredentialsCommand.key)
                if file.isEncrypted {
                    printError("\(path): already encrypted")
                    return
                }
                try file.save(encrypted: true, keyText: CredentialsCommand.key)
                printError("\(path): encrypted (\(file.credentials.entries.count) credentials)")
            }
        }
    }

    struct Decrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decrypt",
            abstract: "Print the decrypted credentials (or decrypt the file in place with --in-place).")
        @OptionGroup var target: FileArgument
        @Flag(name: .customLong("in-place"), help: "Replace the file with its plain text instead of printing it.")
        var inPlace = false

        func run() async throws {
            let path = try target.path()
            try CredentialsCommand.reporting {
                let file = try CredentialFile.load(path, keyText: CredentialsCommand.key)
                if inPlace {
                    try file.save(encrypted: false, keyText: nil)
                    printError("\(path): decrypted in place")
                } else {
                    print(file.plaintext(), terminator: "")
                }
            }
        }
    }

    struct SetFields: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Add a credential or change its fields (the file stays encrypted if it was).",
            discussion: """
                Each FIELD=VALUE sets one field of the credential's data; VALUE may be env:VAR (read from \
                that variable, keeping the secret out of shell history) or @path (read from a file). Fields \
                of n8n's types are converted to their JSON type (port=5432 is a number).
                """)
        @OptionGroup var target: FileArgument
        @Option(help: "n8n credential type (postgres, httpHeaderAuth, anthropicApi…).") var type: String
        @Option(help: "The credential's name, as the workflow references it.") var name: String
        @Option(help: "The credential's id (n8n's), if the workflow references it by id.") var id: String?
        @Flag(help: "Create the file encrypted (when it does not exist yet).") var encrypt = false
        @Argument(help: "FIELD=VALUE pairs.") var fields: [String] = []

        func run() async throws {
            let path = try target.path()
            let data = try fields.reduce(into: JSONObject()) { data, pair in
                guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                    throw ValidationError("\(pair.split(separator: "=").first ?? ""): expected FIELD=VALUE")
                }
                let field = String(pair[..<eq])
                data[field] = CredentialFieldValue.json(try CredentialFieldValue.read(String(pair[pair.index(after: eq)...]), field: field),
                                                        field: field, type: type)
            }
            try CredentialsCommand.reporting {
                var file: CredentialFile
                if FileManager.default.fileExists(atPath: path) {
                    file = try CredentialFile.load(path, keyText: CredentialsCommand.key)
                } else {
                    file = CredentialFile(path: path, credentials: CredentialSet(), format: CredentialFile.format(ofPath: path),
                                          isEncrypted: encrypt)
                }
                file.credentials.upsert(ResolvedCredential(type: type, id: id, name: name, data: data))
                try file.save(encrypted: file.isEncrypted, keyText: CredentialsCommand.key)
                printError("\(path): \(type) credential \"\(name)\" set (\(data.keys.joined(separator: ", ")))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the credentials: type, name, id and field names (never values).")
        @OptionGroup var target: FileArgument
        @Option(help: "Output format: 'text' (default) or 'json'.") var format: NodesCommand.Format = .text

        func run() async throws {
            let path = try target.path()
            try CredentialsCommand.reporting {
                let file = try CredentialFile.load(path, keyText: CredentialsCommand.key)
                for entry in file.credentials.entries {
                    let fields = entry.data.keys.sorted()
                    switch format {
                    case .json:
                        var o: JSONObject = ["type": .string(entry.type), "name": entry.name.map(JSONValue.string) ?? .null,
                                             "id": entry.id.map(JSONValue.string) ?? .null]
                        o["fields"] = .array(fields.map(JSONValue.string))
                        print(JSONValue.object(o).jsonString())
                    case .text:
                        print("\(entry.type)\t\(entry.name ?? "-")\t\(entry.id ?? "-")\t\(fields.joined(separator: ","))")
                    }
                }
                if format == .text {
                    printError("\(file.credentials.entries.count) credentials\(file.isEncrypted ? " (encrypted file)" : "")")
                }
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Re-encrypt the file with a new key (old key in $FLOWRUN_CREDENTIALS_KEY).")
        @OptionGroup var target: FileArgument
        @Option(name: .customLong("new-key-env"), help: "The variable holding the new key.") var newKeyVariable: String

        func run() async throws {
            let path = try target.path()
            guard let newKey = ProcessInfo.processInfo.environment[newKeyVariable], !newKey.isEmpty else {
                throw ValidationError("\(newKeyVariable) is not set.")
            }
            try CredentialsCommand.reporting {
                let file = try CredentialFile.load(path, keyText: CredentialsCommand.key)
                try file.save(encrypted: true, keyText: newKey)
                printError("\(path): encrypted with the key in \(newKeyVariable)")
            }
        }
    }
}

/// Reading `set`'s values.
enum CredentialFieldValue {
    /// `env:VAR`, `@path` or the literal text.
    static func read(_ text: String, field: String) throws -> String {
        if text.hasPrefix("env:") {
            let variable = String(text.dropFirst(4))
            guard let value = ProcessInfo.processInfo.environment[variable] else {
                throw ValidationError("\(field): \(variable) is not set")
            }
            return value
        }
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            guard let data = FileManager.default.contents(atPath: path), let s = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(field): cannot read \(path)")
            }
            return s.hasSuffix("\n") ? String(s.dropLast()) : s
        }
        return text
    }

    /// The value as the JSON type n8n stores for this field.
    static func json(_ text: String, field: String, type: String) -> JSONValue {
        CredentialFieldTyping.value(text, field: field, type: type)
    }
}
