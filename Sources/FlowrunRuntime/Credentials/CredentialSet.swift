public import FlowrunCore
public import FlowrunExpressions

/// The credentials a flowrun process knows: n8n's `export:credentials --decrypted` entries
/// (`{id, name, type, data}`) from the credentials file, overlaid with `FLOWRUN_CRED_…` variables.
///
/// Matching follows n8n: type and id, then type and name; flowrun adds a fallback to the only
/// credential of the type, so a one-credential setup needs no names.
public struct CredentialSet: Sendable {
    public private(set) var entries: [ResolvedCredential]

    public init(_ entries: [ResolvedCredential] = []) {
        self.entries = entries
    }

    /// Entries from parsed file content: an array of `{id, name, type, data}`, or an object with a
    /// `credentials` array of those.
    ///
    /// - Throws: `.invalidFormat` naming `source` and the entry (by position and name).
    public init(json: JSONValue, source: String) throws(CredentialError) {
        let list: [JSONValue]
        if let array = json.arrayValue {
            list = array
        } else if let array = json["credentials"]?.arrayValue {
            list = array
        } else {
            throw CredentialError(.invalidFormat, "\(source): a credentials file is a list of {id, name, type, data} entries, as `n8n export:credentials --decrypted` writes")
        }
        var entries: [ResolvedCredential] = []
        for (index, value) in list.enumerated() {
            let label = "\(source): credential #\(index + 1)\(value["name"]?.stringValue.map { " \"\($0)\"" } ?? "")"
            guard case .object = value else { throw CredentialError(.invalidFormat, "\(label): expected an object") }
            guard let type = value["type"]?.stringValue, !type.isEmpty else {
                throw CredentialError(.invalidFormat, "\(label): no \"type\" (such as \"postgres\" or \"httpHeaderAuth\")")
            }
            let data: JSONObject
            switch value["data"] {
            case .object(let o)?: data = o
            case nil, .null?: data = [:]
            // n8n exports without --decrypted hold an encrypted string: say so rather than use it.
            case .string?:
                throw CredentialError(.invalidFormat, "\(label): \"data\" is n8n-encrypted; export with `n8n export:credentials --decrypted`")
            default: throw CredentialError(.invalidFormat, "\(label): \"data\" must be an object of fields")
            }
            let id = value["id"].flatMap { $0.isNull ? nil : $0.coercedString }
            entries.append(ResolvedCredential(type: type, id: id, name: value["name"]?.stringValue, data: data))
        }
        self.entries = entries
    }

    /// The entries as n8n's export JSON (for `credentials decrypt` and `set`).
    public var jsonValue: JSONValue {
        .array(entries.map { entry in
            var o: JSONObject = [:]
            if let id = entry.id { o["id"] = .string(id) }
            if let name = entry.name { o["name"] = .string(name) }
            o["type"] = .string(entry.type)
            o["data"] = .object(entry.data)
            return .object(o)
        })
    }

    /// Adds `credential`, or replaces the fields it gives of an entry with the same type and
    /// name (or id).
    public mutating func upsert(_ credential: ResolvedCredential) {
        if let index = entries.firstIndex(where: { $0.type == credential.type && Self.sameEntry($0, credential) }) {
            for (field, value) in credential.data { entries[index].data[field] = value }
            if entries[index].id == nil { entries[index].id = credential.id }
        } else {
            entries.append(credential)
        }
    }

    /// Removes entries of `type` named `name`; returns how many.
    @discardableResult
    public mutating func remove(type: String, name: String) -> Int {
        let before = entries.count
        entries.removeAll { $0.type == type && Self.normalized($0.name ?? "") == Self.normalized(name) }
        return before - entries.count
    }

    private static func sameEntry(_ a: ResolvedCredential, _ b: ResolvedCredential) -> Bool {
        if let idA = a.id, let idB = b.id { return idA == idB }
        return normalized(a.name ?? "") == normalized(b.name ?? "")
    }

    /// Names compare exactly first, then as environment variables spell them (`Postgres account`
    /// = `POSTGRES_ACCOUNT`).
    static func normalized(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The credential of `type` a node references, by id, then name, then the only one of its type;
    /// n8n's defaults filled in for missing fields.
    ///
    /// - Throws: `NodeError(.credentials)` naming the node, the type and the name, never data.
    public func match(type: String, reference: JSONValue?, node: String) throws -> ResolvedCredential {
        let candidates = entries.filter { $0.type == type }
        let id = reference?["id"].flatMap { $0.isNull ? nil : $0.coercedString }
        let name = reference?["name"]?.stringValue
        var found: ResolvedCredential?
        if let id { found = candidates.first { $0.id == id } }
        if found == nil, let name {
            found = candidates.first { $0.name == name }
                ?? candidates.first { Self.normalized($0.name ?? "") == Self.normalized(name) }
        }
        if found == nil, candidates.count == 1 { found = candidates[0] }
        guard var credential = found else {
            let wanted = name.map { " named \"\($0)\"" } ?? id.map { " with id \"\($0)\"" } ?? ""
            let known = candidates.map { "\"\($0.name ?? $0.id ?? "?")\"" }
            let why = candidates.isEmpty
                ? "none of this type is configured (add one to the credentials file or set FLOWRUN_CRED_\(CredentialTypes.environmentName(type))_…, see docs/credentials.md)"
                : "the configured ones are \(known.joined(separator: ", "))"
            throw NodeError(.credentials, "no \(type) credential\(wanted): \(why)", node: node)
        }
        credential.data = CredentialTypes.withDefaults(credential.data, type: type)
        return credential
    }
}
