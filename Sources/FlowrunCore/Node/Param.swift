public import FlowrunExpressions

/// One typed node parameter: a constant decoded at load time, or a compiled expression evaluated
/// per item through the `ExecutionContext` (so it sees `$json`, `$input`, `$('X')`).
///
/// Immutable, and a class: nodes read their parameters once per item, and a struct copy cost a
/// retain per field (path, compiled value, constant, converter) each time.
public final class Param<Value: Sendable>: Sendable {
    /// The parameter's path in the node's parameters (`options.ignoreCase`).
    public let path: String
    // @usableFromInline + @inlinable `value(for:in:)`: nodes live in another module, and an
    // unspecialised generic call per item cost a metadata lookup each time.
    @usableFromInline let storage: CompiledParameter
    @usableFromInline let constant: Value?
    @usableFromInline let convert: @Sendable (JSONValue?) throws -> Value

    /// A parameter that always has `value`.
    public init(constant value: Value, path: String = "") {
        self.path = path
        self.storage = .literal(.null)
        self.constant = value
        self.convert = { _ in value }
    }

    /// A parameter read from `raw` (literal or with expressions), converted by `convert`.
    ///
    /// `convert` receives the resolved JSON (nil for `undefined`) and throws a `ParameterConversionError`
    /// (or any error) when the value has the wrong shape.
    public init(path: String, raw: CompiledParameter, convert: @escaping @Sendable (JSONValue?) throws -> Value) {
        self.path = path
        self.storage = raw
        self.convert = convert
        if case .literal(let v) = raw, let c = try? convert(v) {
            self.constant = c
        } else {
            self.constant = nil
        }
    }

    /// The value when it does not depend on the item (no expression), else nil.
    public var constantValue: Value? { constant }

    /// Whether the value is an expression evaluated per item.
    public var isExpression: Bool { constant == nil }

    /// The value for item `itemIndex`.
    ///
    /// - Throws: `NodeError` naming the node and parameter when the expression fails or its result
    ///   has the wrong type.
    @inlinable
    public func value(for itemIndex: Int, in context: ExecutionContext) throws -> Value {
        if let constant { return constant }
        let resolved = try storage.resolve(itemIndex: itemIndex, in: context, path: path)
        do {
            return try convert(resolved)
        } catch let error as ParameterConversionError {
            throw NodeError(.invalidParameter, error.message, node: context.nodeName, parameter: path, itemIndex: itemIndex)
        }
    }

    /// Transforms the decoded value (e.g. a raw string into an enum); the transform may throw
    /// `ParameterConversionError`.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Value) throws -> T) -> Param<T> {
        let convert = self.convert
        return Param<T>(path: path, raw: storage) { try transform(try convert($0)) }
    }
}

/// A parameter value whose type does not fit; the engine reports it with node and parameter.
public struct ParameterConversionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
