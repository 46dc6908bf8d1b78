/// Runs n8n expression conformance case files (format: shared/conformance/expressions/README.md).
///
/// Pure: the caller reads the files; this parses, evaluates and compares.
public enum ExpressionConformance {
    /// The outcome of one case.
    public struct CaseResult: Sendable, Hashable {
        public var id: String
        public var passed: Bool
        /// What the case expects, as text (JSON, `error containing "…"`, `one of …`).
        public var expected: String
        /// What the evaluator produced, as text.
        public var got: String

        /// `id: expected X, got Y` for a failure report.
        public var line: String { "\(id): expected \(expected), got \(got)" }
    }

    /// The outcome of one case file.
    public struct Report: Sendable {
        public var fileName: String
        public var results: [CaseResult]
        public var passed: Int { results.filter(\.passed).count }
        public var failed: Int { results.count - passed }
    }

    /// Parses a case file's JSON and runs every case in it. A file that does not parse yields one
    /// failed result with id `<fileName>`.
    public static func run(caseFileText text: String, fileName: String) -> Report {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: text)
        } catch {
            return Report(fileName: fileName, results: [CaseResult(id: fileName, passed: false, expected: "a JSON array of cases", got: "\(error)")])
        }
        guard case .array(let cases) = document else {
            return Report(fileName: fileName, results: [CaseResult(id: fileName, passed: false, expected: "a JSON array of cases", got: document.kindName)])
        }
        return Report(fileName: fileName, results: cases.enumerated().map { index, value in
            run(case: value.objectValue ?? [:], fallbackID: "\(fileName)#\(index)")
        })
    }

    /// Runs one case object.
    public static func run(case object: JSONObject, fallbackID: String = "case") -> CaseResult {
        let id = object["id"]?.stringValue ?? fallbackID
        let expr = object["expr"]?.stringValue ?? ""
        let extra = object["extra"]?.objectValue ?? [:]
        let context = makeContext(json: object["json"]?.objectValue ?? [:], extra: extra)
        let expectation = Expectation(object)
        let outcome: Result<JSValue, any Error>
        do {
            let compiled = try ParameterExpression(parsing: expr)
            outcome = .success(try compiled.evaluate(in: context))
        } catch {
            outcome = .failure(error)
        }
        return CaseResult(id: id, passed: expectation.matches(outcome), expected: expectation.description, got: describe(outcome))
    }

    /// The evaluation context a case describes.
    static func makeContext(json: JSONObject, extra: JSONObject) -> EvaluationContext {
        let activeNode = extra["activeNode"]?.stringValue ?? "node"
        let input: [Item]
        if case .array(let items)? = extra["input"] {
            input = items.map(Item.init(jsonValue:))
        } else {
            input = [Item(json: json)]
        }
        let zoneName = extra["tz"]?.stringValue ?? "America/New_York"
        var now = EvaluationContext.systemNow()
        if let text = extra["now"]?.stringValue, let ms = JSDateParser.parse(text, localZone: .utc) { now = ms }
        let frozen = now
        var execution = EvaluationContext.ExecutionInfo()
        if let e = extra["execution"]?.objectValue {
            execution = .init(id: e["id"]?.stringValue ?? "", resumeUrl: e["resumeUrl"]?.stringValue ?? "",
                              resumeFormUrl: e["resumeFormUrl"]?.stringValue ?? "")
        }
        var workflow = EvaluationContext.WorkflowInfo()
        if let w = extra["workflow"]?.objectValue {
            let id: String? = w["id"].flatMap { $0.stringValue ?? $0.numberValue.map(JSNumberFormatting.string) }
            workflow = .init(id: id, name: w["name"]?.stringValue, active: w["active"]?.boolValue ?? false)
        }
        var environment: [String: String] = [:]
        for (k, v) in extra["env"]?.objectValue ?? [:] { environment[k] = v.stringValue ?? v.jsonString() }
        var context = EvaluationContext(
            dataSource: ConformanceDataSource(extra: extra, activeNode: activeNode),
            activeNode: activeNode,
            inputItems: input,
            itemIndex: Int(extra["itemIndex"]?.numberValue ?? 0),
            runIndex: Int(extra["runIndex"]?.numberValue ?? 0),
            parameters: extra["nodeParams"]?[activeNode]?.objectValue ?? [:],
            mode: extra["mode"]?.stringValue ?? "manual",
            execution: execution,
            workflow: workflow,
            timeZone: zoneName,
            nowMilliseconds: { frozen },
            environment: environment,
            envAccessAllowed: !(extra["envAccessBlocked"]?.boolValue ?? true),
            variables: extra["vars"]?.objectValue ?? [:],
            secrets: extra["secrets"]?.objectValue ?? [:]
        )
        if let executionMode = extra["execution"]?["mode"]?.stringValue {
            context.additionalVariables["$executionMode"] = .string(executionMode)
        }
        if let pageCount = extra["pageCount"] { context.additionalVariables["$pageCount"] = pageCount }
        return context
    }

    static func describe(_ outcome: Result<JSValue, any Error>) -> String {
        switch outcome {
        case .success(let value): return describe(value)
        case .failure(let error): return "error \"\(error)\""
        }
    }

    static func describe(_ value: JSValue) -> String {
        switch value {
        case .undefined: return "undefined"
        case .number(let n) where !n.isFinite: return JSNumberFormatting.string(n)
        case .dateTime(let dt): return "DateTime \(dt.toISO() ?? "Invalid DateTime")"
        case .date(let d): return "Date \(ExtensionValue.isoString(ms: d.milliseconds) ?? "Invalid Date")"
        case .function(let f): return "function \(f.name)"
        default: return value.toJSON().jsonString()
        }
    }
}
