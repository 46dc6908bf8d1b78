import Testing
@testable import FlowrunExpressions

@Suite("Luxon bridge to the interpreter (extension glue)")
struct LuxonBridgeExtensionTests {
    let context = EvaluationContext(dataSource: EmptyRunData(), activeNode: "node", inputItems: [],
                                    timeZone: "America/New_York", nowMilliseconds: { 1_705_322_096_789 })

    func call(_ value: JSValue?, _ args: [JSValue] = []) throws -> JSValue {
        guard case .function(let f)? = value else { throw ExtensionError("not a function") }
        return try f.call(.undefined, args, Interpreter(context: context))
    }

    func text(_ value: JSValue) -> String? {
        if case .string(let s) = value { return s }
        return nil
    }

    @Test("$now and $today follow the workflow zone and frozen clock")
    func nowAndToday() throws {
        guard case .dateTime(let now)? = LuxonBridge.global("$now", context: context),
              case .dateTime(let today)? = LuxonBridge.global("$today", context: context) else {
            Issue.record("no DateTime globals")
            return
        }
        #expect(now.toISO() == "2024-01-15T07:34:56.789-05:00")
        #expect(today.toISO() == "2024-01-15T00:00:00.000-05:00")
    }

    @Test("DateTime statics and members are callable functions")
    func staticsAndMembers() throws {
        guard case .function(let dateTime)? = LuxonBridge.global("DateTime", context: context) else {
            Issue.record("DateTime is not a function")
            return
        }
        #expect(dateTime.name == "DateTime")
        let parsed = try call(dateTime.properties["fromISO"], [.string("2024-03-30T18:49:00Z")])
        #expect(text(try call(LuxonBridge.member(of: parsed, "toFormat"), [.string("dd/MM/yyyy HH:mm")])) == "30/03/2024 14:49")
        if case .number(let day)? = LuxonBridge.member(of: parsed, "day") { #expect(day == 30) } else { Issue.record("no day") }
        let duration = try call(LuxonBridge.member(of: parsed, "diff"), [try call(dateTime.properties["fromISO"], [.string("2024-03-28T18:49:00Z")]), .string("days")])
        if case .number(let days)? = LuxonBridge.member(of: duration, "days") { #expect(days == 2) } else { Issue.record("no days") }
        let interval = try call(LuxonBridge.member(of: parsed, "until"), [try call(dateTime.properties["fromISO"], [.string("2024-04-02T18:49:00Z")])])
        if case .number(let length) = try call(LuxonBridge.member(of: interval, "length"), [.string("days")]) { #expect(length == 3) } else { Issue.record("no length") }
        #expect(LuxonBridge.member(of: parsed, "nope") == nil)
    }

    @Test("extend() returns nil for native methods and maps errors")
    func extendDispatch() throws {
        let array = JSValue.array(JSArray([.number(1), .number(2)]))
        if case .number(let sum)? = try LuxonBridge.extend(array, "sum", [], context: context, hasNativeMethod: { _ in false }) {
            #expect(sum == 3)
        } else {
            Issue.record("sum failed")
        }
        #expect(try LuxonBridge.extend(.string("abc"), "toJsonString", [], context: context, hasNativeMethod: { _ in true }) != nil)
        #expect(try LuxonBridge.extend(.number(1), "format", [], context: context, hasNativeMethod: { _ in true }) != nil)
        #expect(try LuxonBridge.extend(.bool(true), "toString", [], context: context, hasNativeMethod: { $0 == "toString" }) == nil)
        do {
            _ = try LuxonBridge.extend(.number(5), "toSnakeCase", [], context: context, hasNativeMethod: { _ in false })
            Issue.record("expected an error")
        } catch let error as ExpressionError {
            #expect(error.message == "toSnakeCase() is only callable on type \"String\"")
        }
    }
}
