/// The syntax tree of a code block: n8n's JavaScript subset.
///
/// `offset` fields are UTF-8 offsets into the block's source, for error columns.
indirect enum Expr: Sendable {
    case number(Double)
    case string(String)
    case template(quasis: [String], expressions: [Expr])
    case regex(pattern: String, flags: String)
    case boolean(Bool)
    case null
    case this
    case identifier(String, offset: Int)
    /// Elements; nil is a hole (`[1,,2]`).
    case array([Expr?])
    case object([Property])
    case spread(Expr)
    /// `a.b`, `a?.b` (`optional`), and `a[b]` / `a?.[b]` (`computed`).
    case member(object: Expr, property: MemberKey, optional: Bool, offset: Int)
    case call(callee: Expr, arguments: [Expr], optional: Bool, offset: Int)
    case new(callee: Expr, arguments: [Expr], offset: Int)
    /// The end of an optional chain: a short-circuit inside yields `undefined` here.
    case optionalChain(Expr)
    case unary(String, Expr)
    /// `++x` / `x--`.
    case update(String, prefix: Bool, Expr)
    case binary(String, Expr, Expr)
    case logical(String, Expr, Expr)
    case conditional(Expr, Expr, Expr)
    case assign(String, target: Pattern, value: Expr)
    case sequence([Expr])
    case function(FunctionNode)
    case taggedTemplate(tag: Expr, quasis: [String], expressions: [Expr])
}

/// `.name` or `[expression]`.
enum MemberKey: Sendable {
    case name(String)
    case computed(Expr)
}

/// A member of an object literal.
enum Property: Sendable {
    case keyValue(key: PropertyKey, value: Expr)
    case spread(Expr)
    case getter(PropertyKey, FunctionNode)
    case setter(PropertyKey, FunctionNode)
}

enum PropertyKey: Sendable {
    case name(String)
    case computed(Expr)
}

/// A binding or assignment target.
indirect enum Pattern: Sendable {
    case identifier(String, offset: Int)
    /// An assignment target that is not a binding: `a.b = 1`.
    case expression(Expr)
    case object([(key: PropertyKey, value: Pattern)], rest: Pattern?)
    case array([Pattern?], rest: Pattern?)
    case withDefault(Pattern, Expr)
}

/// An arrow function or a function expression/declaration.
final class FunctionNode: Sendable {
    let name: String?
    let parameters: [Pattern]
    let rest: Pattern?
    let body: [Stmt]
    /// An arrow function with an expression body: `body` is a single `return`.
    let isArrow: Bool

    init(name: String?, parameters: [Pattern], rest: Pattern?, body: [Stmt], isArrow: Bool) {
        self.name = name
        self.parameters = parameters
        self.rest = rest
        self.body = body
        self.isArrow = isArrow
    }
}

indirect enum Stmt: Sendable {
    case expression(Expr)
    case declaration(kind: String, [(Pattern, Expr?)])
    case function(String, FunctionNode)
    case block([Stmt])
    case empty
    case ifElse(Expr, Stmt, Stmt?)
    case forLoop(initializer: Stmt?, test: Expr?, update: Expr?, body: Stmt)
    /// `for (x of y)` / `for (x in y)`; `declaration` is the kind (`let`/`const`/`var`) or nil.
    case forEach(ofLoop: Bool, declaration: String?, Pattern, Expr, body: Stmt)
    case whileLoop(Expr, Stmt)
    case doWhile(Stmt, Expr)
    case returnStatement(Expr?)
    case breakStatement(String?)
    case continueStatement(String?)
    case throwStatement(Expr)
    case tryStatement(block: [Stmt], parameter: Pattern?, handler: [Stmt]?, finalizer: [Stmt]?)
    case switchStatement(Expr, [(test: Expr?, body: [Stmt])])
    case labeled(String, Stmt)
    /// `with (object) body`: parsed so the sandbox can refuse it with n8n's message.
    case withStatement
}
