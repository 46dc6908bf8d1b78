import FlowrunExpressions

/// Fills in what a hand-written (YAML) workflow may leave out, so the result imports into n8n:
/// node ids, positions, typeVersions and `parameters`.
///
/// Ids are derived from the workflow and node names, so converting the same file twice gives the
/// same ids and diffs stay small.
struct WorkflowAuthoringDefaults {
    var newestTypeVersion: @Sendable (String) -> Double?

    func fill(_ document: inout WorkflowDocument) {
        let workflowName = document.name ?? ""
        for index in document.nodes.indices {
            var node = document.nodes[index]
            if node.fields["parameters"] == nil { node.fields["parameters"] = .object([:]) }
            if node.fields["typeVersion"] == nil, !node.type.isEmpty, let version = newestTypeVersion(node.type) {
                node.typeVersion = version
            }
            if node.fields["id"] == nil, !node.name.isEmpty {
                node.id = NodeIdentifier.derived(workflow: workflowName, node: node.name)
            }
            document.nodes[index] = node
        }
        // n8n's importer expects every connection target to name its type and input index.
        for (source, kinds) in document.connections.bySource {
            for (kind, slots) in kinds {
                let filled = slots.map { slot in
                    slot?.map { target -> WorkflowConnections.Target in
                        guard var written = target.written else { return target }
                        var copy = target
                        written["type"] = .string(target.type)
                        written["index"] = .number(Double(target.index))
                        copy.written = written
                        return copy
                    }
                }
                document.connections.bySource[source]?[kind] = filled
            }
        }
        if document.nodes.contains(where: { $0.fields["position"] == nil }) {
            let layout = WorkflowLayout(document: document)
            for index in document.nodes.indices where document.nodes[index].fields["position"] == nil {
                document.nodes[index].position = layout.position(ofNodeAt: index)
            }
        }
    }
}

/// Deterministic node ids in UUID form.
enum NodeIdentifier {
    /// A UUID (version 8, "custom") computed from the workflow and node names.
    static func derived(workflow: String, node: String) -> String {
        let text = Array("flowrun\u{0}\(workflow)\u{0}\(node)".utf8)
        var high = fnv1a(text, seed: 0xcbf2_9ce4_8422_2325)
        var low = fnv1a(text, seed: 0x6c62_272e_07bb_0142)
        high = (high & ~0xF000) | 0x8000  // version 8 in bits 48-51 of the first half
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let h = hex(high, digits: 16)
        let l = hex(low, digits: 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }

    private static func fnv1a(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        // Final avalanche (splitmix64) so similar names give unrelated ids.
        hash ^= hash >> 30
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash &*= 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return hash
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
