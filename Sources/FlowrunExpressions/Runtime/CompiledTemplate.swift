/// The compiled form of a parameter: literal text and compiled `{{ }}` blocks.
struct CompiledTemplate: Sendable {
    enum Part: Sendable {
        case text(String)
        /// `guarded`: errors inside yield undefined (n8n wraps the block in its error handler);
        /// otherwise an error makes the whole expression null.
        case block(Eval, slots: Int, guarded: Bool, path: [String]?)
    }

    private(set) var referencedNodes: [String] = []
    /// Set for a parameter that is not an expression.
    private var literal: String?
    private var parts: [Part] = []
    /// A lone block: the result keeps its type.
    private var keepsType = false
    /// A sandbox or rewrite rule the expression breaks; n8n raises it when evaluating.
    private var rejection: ExpressionError?

    init(parameter: String) throws(ExpressionSyntaxError) {
        guard parameter.hasPrefix("=") else {
            literal = parameter
            return
        }
        let template = String(parameter.dropFirst())
        if template.contains(#/\.\s*constructor/#) {
            rejection = ExpressionError(.security, "Expression contains invalid constructor function call",
                                        hint: "Constructor override attempt is not allowed due to security concerns")
        }
        var chunks = TemplateSplitter.split(template)
        if chunks.isEmpty { chunks = [.text("")] }
        if chunks.count == 2, case .text("") = chunks[0], case .code = chunks[1] { keepsType = true }
        let compiler = Compiler()
        for chunk in chunks {
            switch chunk {
            case .text(let text):
                parts.append(.text(text))
            case .code(let code, let offset):
                do {
                    let (eval, slots, guarded, path) = try CompiledTemplate.compileBlock(code, offset: offset + 1, compiler: compiler)
                    parts.append(.block(eval, slots: slots, guarded: guarded, path: path))
                } catch let failure as Lexer.Failure {
                    throw CompiledTemplate.syntaxError(failure, in: parameter)
                } catch let rejected as Compiler.Rejection {
                    if rejection == nil { rejection = rejected.error }
                    parts.append(.text(""))
                } catch {
                    throw ExpressionSyntaxError(message: "\(error)", line: 1, column: 1)
                }
            }
        }
        referencedNodes = compiler.referencedNodes
    }

    /// Parses one block: n8n evaluates the first statement, which must be an expression.
    static func compileBlock(_ code: String, offset: Int, compiler: Compiler) throws -> (Eval, Int, Bool, [String]?) {
        var source = code
        var base = offset
        // n8n wraps a block starting with `{` in parentheses so it reads as an object literal.
        if source.drop(while: { $0.isWhitespace }).first == "{" {
            source = "(" + source + ")"
            base -= 1
        }
        var parser = try Parser(source: source, baseOffset: base)
        let statements = try parser.parseProgram()
        guard case .expression(let expr)? = statements.first else {
            throw Lexer.Failure(message: statements.isEmpty ? "Unexpected end of input" : "Not an expression statement", offset: base)
        }
        compiler.scope = CompileScope(parent: nil)
        let eval = try compiler.compile(expr)
        // Later statements are parsed (a syntax error there fails) but never run, as in n8n.
        for statement in statements.dropFirst() { _ = try compiler.compileStatement(statement) }
        var path: [String]?
        if case .member(let object, let property, false, _) = expr { path = compiler.staticJSONPath(object, property) }
        return (eval, compiler.scope.slotCount, expr.containsMemberOrCall, path)
    }

    static func syntaxError(_ failure: Lexer.Failure, in parameter: String) -> ExpressionSyntaxError {
        let bytes = Array(parameter.utf8)
        let end = min(max(failure.offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return ExpressionSyntaxError(message: failure.message, line: line, column: column)
    }

    func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSValue {
        if let literal { return .string(literal) }
        if let rejection { throw rejection }
        // The common `{{ $json.a.b }}` reads the item's JSON directly, without an interpreter.
        if keepsType, case .block(_, _, _, let path?) = parts[1], let value = CompiledTemplate.walk(path, context) {
            return value
        }
        let interp = Interpreter(context: context)
        do {
            if keepsType, case .block(let eval, let slots, let guarded, _) = parts[1] {
                guard let value = try CompiledTemplate.run(eval, slots: slots, guarded: guarded, interp) else { return .null }
                if case .function(let f) = value {
                    if f.name == "DateTime" { throw ExpressionError(.runtime, "this is a DateTime, please access its methods") }
                    throw ExpressionError(.runtime, "this is a function, please add ()")
                }
                return value
            }
            var out = ""
            for part in parts {
                switch part {
                case .text(let text):
                    out += text
                case .block(let eval, let slots, let guarded, let path):
                    if let path, interp.assignedGlobals.isEmpty, let direct = CompiledTemplate.walk(path, context) {
                        out += try CompiledTemplate.text(of: direct, interp)
                        continue
                    }
                    guard let value = try CompiledTemplate.run(eval, slots: slots, guarded: guarded, interp) else { return .null }
                    out += try CompiledTemplate.text(of: value, interp)
                }
            }
            return .string(out)
        } catch let error as ExpressionError {
            throw error
        } catch {
            throw ExpressionError(.runtime, "\(error)")
        }
    }

    /// A static `$json` path walked over the current item's JSON; nil when any step is not a
    /// plain member of an object (the general path then applies JavaScript's rules).
    static func walk(_ path: [String], _ context: EvaluationContext) -> JSValue? {
        guard context.itemIndex >= 0, context.itemIndex < context.inputItems.count else { return nil }
        var current = JSONValue.object(context.inputItems[context.itemIndex].json)
        for name in path {
            guard case .object(let o) = current, let next = o[name] else { return nil }
            current = next
        }
        return JSValue(lazyJSON: current)
    }

    /// Runs a block. JavaScript errors are swallowed as n8n does: a guarded block yields
    /// `undefined`; an unguarded one makes the whole expression `null` (returns nil).
    static func run(_ eval: Eval, slots: Int, guarded: Bool, _ interp: Interpreter) throws -> JSValue? {
        do {
            return try eval(slots == 0 ? Frame.empty : Frame(count: slots, parent: nil), interp)
        } catch is JSThrow {
            return guarded ? .undefined : nil
        } catch is OptionalShortCircuit {
            return .undefined
        }
    }

    /// A block's value inside mixed text: falsy values other than 0 and false print nothing.
    static func text(of value: JSValue, _ interp: Interpreter) throws -> String {
        switch value {
        case .undefined, .null: return ""
        case .number(let n) where n.isNaN: return ""
        case .string(let s): return s
        case .function(let f):
            if f.name == "DateTime" { throw ExpressionError(.runtime, "this is a DateTime, please access its methods") }
            return value.toJSString(zone: interp.zone)
        default: return value.toJSString(zone: interp.zone)
        }
    }
}
