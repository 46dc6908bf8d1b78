/// The node types flowrun can run, by n8n type name and type version.
///
/// Built-ins are listed in FlowrunNodes (`NodeRegistry.builtIn`); tests build their own.
public struct NodeRegistry: Sendable {
    private var byType: [String: [any Node.Type]] = [:]
    private var order: [String] = []

    public init(_ types: [any Node.Type] = []) {
        for t in types { register(t) }
    }

    /// Adds a node type. A later registration of the same type name and version wins.
    public mutating func register(_ type: any Node.Type) {
        let name = type.description.type
        if byType[name] == nil { order.append(name) }
        byType[name, default: []].insert(type, at: 0)
    }

    /// What resolving a type name and version gives.
    public enum Resolution: Sendable {
        case found(any Node.Type)
        case unknownType
        /// The type exists but not in this version; `supported` lists the versions that do.
        case unsupportedVersion(supported: [Double])
    }

    /// The implementation of `type` at `version`.
    public func resolve(_ type: String, version: Double) -> Resolution {
        guard let candidates = byType[type] else { return .unknownType }
        if let match = candidates.first(where: { $0.description.typeVersions.contains(version) }) {
            return .found(match)
        }
        return .unsupportedVersion(supported: supportedVersions(of: type))
    }

    /// Every supported version of `type`, ascending.
    public func supportedVersions(of type: String) -> [Double] {
        Array(Set((byType[type] ?? []).flatMap { $0.description.typeVersions })).sorted()
    }

    /// The newest supported version of `type`, nil when unknown (for YAML files that leave it out).
    public func newestVersion(of type: String) -> Double? {
        supportedVersions(of: type).last
    }

    /// Whether `type` is a trigger; nil when unknown.
    public func isTrigger(_ type: String) -> Bool? {
        byType[type]?.first?.description.isTrigger
    }

    /// Every registered description, in registration order (one per Swift type).
    public var descriptions: [NodeDescription] {
        order.flatMap { name in (byType[name] ?? []).reversed().map { $0.description } }
    }

    /// Registered type names in registration order.
    public var typeNames: [String] { order }
}
