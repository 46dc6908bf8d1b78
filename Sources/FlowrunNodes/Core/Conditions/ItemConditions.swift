import FlowrunCore
import FlowrunExpressions

/// The conditions of If and Filter, decoded once: v1's legacy typed groups, or v2's filter-type
/// `conditions` value (see `FilterConditionsParameter`).
enum ItemConditions: Sendable {
    case legacy(LegacyConditionsParameter, all: Param<Bool>)
    case filter(FilterConditionsParameter)

    /// Reads the node's parameters; `legacyAll` reads v1's "all conditions must pass" choice,
    /// which If and Filter spell differently.
    init(_ p: ParameterReader, typeVersion: Double, legacyAll: (ParameterReader) -> Param<Bool>) {
        if typeVersion < 2 {
            self = .legacy(LegacyConditionsParameter(p["conditions"]), all: legacyAll(p))
        } else {
            let loose = typeVersion < 2.1
                ? p["options"]["looseTypeValidation"].bool(default: false)
                : p["looseTypeValidation"].bool(default: false)
            self = .filter(FilterConditionsParameter(
                p["conditions"], loose: loose, ignoreCase: p["options"]["ignoreCase"].bool(default: true)))
        }
    }

    /// Whether item `itemIndex` passes.
    func passes(itemIndex i: Int, context: ExecutionContext) throws -> Bool {
        switch self {
        case .legacy(let legacy, let all):
            try legacy.evaluate(all: try all.value(for: i, in: context), itemIndex: i, context: context)
        case .filter(let filter):
            try filter.evaluate(itemIndex: i, context: context)
        }
    }
}
