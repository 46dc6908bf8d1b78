enum Globals {
    static func binding(_ name: String) -> @Sendable (Interpreter) throws -> JSValue { { _ in .undefined } }
}
enum DataProxy {
    static let methodNames: Set<String> = []
    static func member(_ o: JSObject, _ key: String, _ interp: Interpreter) throws -> JSValue { .undefined }
    static func nodeAccessor(_ args: [JSValue], _ interp: Interpreter) throws -> JSValue { .undefined }
}
enum StringMethods {
    static let names: Set<String> = []
    static func call(_ s: String, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
}
enum NumberMethods {
    static let names: Set<String> = []
    static func call(_ n: Double, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
}
enum ArrayMethods {
    static let names: Set<String> = []
    static func call(_ a: JSArray, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
}
enum ObjectMethods {
    static let prototypeNames: Set<String> = []
    static func callPrototype(_ v: JSValue, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
    static func callFunctionPrototype(_ f: JSFunction, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
}
enum RegExpMethods {
    static let names: Set<String> = []
    static func call(_ r: JSRegExp, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
}
enum DateMethods {
    static let names: Set<String> = []
    static func call(_ d: JSDate, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? { nil }
}
