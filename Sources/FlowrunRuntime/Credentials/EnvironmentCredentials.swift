import FlowrunCore
import FlowrunExpressions

/// Credentials from environment variables (docs/credentials.md):
///
/// - one field per variable: `FLOWRUN_CRED_<TYPE>_<NAME>_<FIELD>`, with type and field in upper
///   snake case (`FLOWRUN_CRED_POSTGRES_MAIN_DB_PASSWORD`, `FLOWRUN_CRED_ANTHROPIC_API_CLAUDE_API_KEY`);
///   `<NAME>` may be empty (`FLOWRUN_CRED_HTTP_BEARER_AUTH_TOKEN`) and matches the credential whose
///   name spells the same in upper snake case (`Main DB`); only the types flowrun knows.
/// - a whole credential per variable: `FLOWRUN_CRED_<NAME>='{"type": "...", "data": {...}}'`
///   (optionally with `id` and `name`; the name defaults to `<NAME>`), for any type.
///
/// Variables overlay the file: a field variable for a credential the file has replaces that field
/// only, so the file can keep hosts and users and the environment the passwords.
enum EnvironmentCredentials {
    static let prefix = "FLOWRUN_CRED_"

    /// The credentials the variables give, to apply over the file's in this order.
    static func read(_ environment: [String: String]) throws(CredentialError) -> [ResolvedCredential] {
        var out: [ResolvedCredential] = []
        for (variable, value) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(prefix) {
            let rest = String(variable.dropFirst(prefix.count))
            if let field = fieldForm(rest) {
                out.append(ResolvedCredential(
                    type: field.type, name: field.name.isEmpty ? nil : field.name,
                    data: [field.field: CredentialTypes.value(value, field: field.field, type: field.type)]))
                continue
            }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.hasPrefix("{") else {
                throw CredentialError(.invalidFormat, "\(variable): neither FLOWRUN_CRED_<TYPE>_<NAME>_<FIELD> for a known type and field nor a JSON object {\"type\", \"data\"}")
            }
            guard let json = try? JSONValue(parsing: trimmed) else {
                throw CredentialError(.invalidFormat, "\(variable): the value is not valid JSON")
            }
            guard let type = json["type"]?.stringValue, !type.isEmpty else {
                throw CredentialError(.invalidFormat, "\(variable): the JSON has no \"type\"")
            }
            guard let data = json["data"]?.objectValue else {
                throw CredentialError(.invalidFormat, "\(variable): the JSON has no \"data\" object")
            }
            let id = json["id"].flatMap { $0.isNull ? nil : $0.coercedString }
            out.append(ResolvedCredential(type: type, id: id, name: json["name"]?.stringValue ?? rest, data: data))
        }
        return out
    }

    /// Splits `<TYPE>_<NAME>_<FIELD>` for a known type and one of its fields.
    static func fieldForm(_ rest: String) -> (type: String, name: String, field: String)? {
        for (env, type) in CredentialTypes.typesByEnvironmentName where rest == env || rest.hasPrefix(env + "_") {
            let tail = String(rest.dropFirst(env.count).drop { $0 == "_" })
            let fields = (CredentialTypes.fields[type] ?? []).map { (env: CredentialTypes.environmentName($0.name), name: $0.name) }
            for field in fields.sorted(by: { $0.env.count > $1.env.count }) {
                if tail == field.env { return (type, "", field.name) }
                if tail.hasSuffix("_" + field.env) {
                    return (type, String(tail.dropLast(field.env.count + 1)), field.name)
                }
            }
        }
        return nil
    }
}
