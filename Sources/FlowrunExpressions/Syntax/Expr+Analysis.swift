extension Expr {
    /// Whether the expression contains a member access or a call anywhere (n8n's tournament only
    /// wraps such blocks in its error handler; errors elsewhere make the whole result null).
    /// Function bodies count as containing one.
    var containsMemberOrCall: Bool {
        switch self {
        case .member, .call, .new, .optionalChain, .taggedTemplate, .function: return true
        case .number, .string, .regex, .boolean, .null, .this, .identifier: return false
        case .template(_, let parts): return parts.contains { $0.containsMemberOrCall }
        case .array(let elements): return elements.contains { $0?.containsMemberOrCall ?? false }
        case .object(let properties):
            return properties.contains { property in
                switch property {
                case .keyValue(let key, let value):
                    if case .computed(let k) = key, k.containsMemberOrCall { return true }
                    return value.containsMemberOrCall
                case .spread(let inner): return inner.containsMemberOrCall
                case .getter, .setter: return true
                }
            }
        case .spread(let inner), .unary(_, let inner), .update(_, _, let inner): return inner.containsMemberOrCall
        case .binary(_, let a, let b), .logical(_, let a, let b): return a.containsMemberOrCall || b.containsMemberOrCall
        case .conditional(let a, let b, let c): return a.containsMemberOrCall || b.containsMemberOrCall || c.containsMemberOrCall
        case .assign(_, let target, let value):
            if case .expression = target { return true }
            return value.containsMemberOrCall
        case .sequence(let list): return list.contains { $0.containsMemberOrCall }
        }
    }
}
