public import FlowrunExpressions
import Foundation

/// The credentials named in a credentials file, matched by type and id, or by type and name as n8n
/// does for exports without ids. Only names and ids are read; secrets are never kept here.
public struct ConfiguredCredentials: CredentialAvailability, Hashable {
    private var ids: Set<String> = []
    private var names: Set<String> = []

    /// Credentials given as n8n's credential export: an array of `{"id", "name", "type", …}`, or an
    /// object with a `"credentials"` array of those.
    public init(json: JSONValue) throws(Failure) {
        let list: [JSONValue]
        if let array = json.arrayValue {
            list = array
        } else if let array = json["credentials"]?.arrayValue {
            list = array
        } else {
            throw Failure(message: "a credentials file must be an array of {\"id\", \"name\", \"type\", \"data\"} "
                          + "objects, as `n8n export:credentials` writes")
        }
        for (index, entry) in list.enumerated() {
            guard let type = entry["type"]?.stringValue else {
                throw Failure(message: "credential #\(index + 1) has no \"type\" (such as \"httpHeaderAuth\")")
            }
            if let id = entry["id"]?.stringValue { ids.insert("\(type)\u{0}\(id)") }
            if let name = entry["name"]?.stringValue { names.insert("\(type)\u{0}\(name)") }
        }
    }

    /// Reads a credentials file (JSON).
    public init(contentsOf path: String) throws(Failure) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(message: "\(path): cannot read the credentials file")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw Failure(message: "\(path): invalid JSON at \(error.description)")
        }
        do {
            try self.init(json: json)
        } catch {
            throw Failure(message: "\(path): \(error.message)")
        }
    }

    /// Whether the file names this credential (by type and id, or type and name).
    public func isConfigured(_ reference: NodeDocument.CredentialReference) -> Bool {
        if let id = reference.id, ids.contains("\(reference.type)\u{0}\(id)") { return true }
        if let name = reference.name, names.contains("\(reference.type)\u{0}\(name)") { return true }
        return false
    }

    /// Why a credentials file could not be used.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong, naming the file.
        public var message: String
        public var description: String { message }
    }
}
