import FlowrunCore
import FlowrunExpressions
import Testing

@Suite("Engine: node policies")
struct EnginePolicyTests {
    func chain(_ middle: JSONValue, order: String = "v1", pinData: JSONObject? = nil) -> WorkflowGraph {
        EngineFixture.workflow([EngineFixture.node("Start", "trigger"), middle, EngineFixture.node("After", "pass")],
                               [("Start", 0, "Node", 0), ("Node", 0, "After", 0)], order: order, pinData: pinData)
    }

    let twoItems = [Item(json: ["ok": true, "n": 1]), Item(json: ["ok": false, "n": 2])]

    @Test("stopWorkflow (default): the run fails naming the node; the node's input stays on the stack")
    func stopWorkflow() async {
        let result = await EngineFixture.run(chain(EngineFixture.node("Node", "fail")), .init(input: twoItems))
        #expect(result.status == .error)
        #expect(result.error?.node == "Node")
        #expect(result.error?.nodeError?.message == "boom")
        #expect(result.runData["Node"]?.first?.status == .error)
        #expect(result.runData["After"] == nil)
        #expect(result.lastNodeExecuted == "Node")
    }

    @Test("continueRegularOutput and continueOnFail: per-item errors stay on the regular output")
    func continueRegular() async {
        for extra: JSONObject in [["onError": "continueRegularOutput"], ["continueOnFail": true]] {
            let result = await EngineFixture.run(chain(EngineFixture.node("Node", "fail", 0, 0, [:], extra)), .init(input: twoItems))
            #expect(result.status == .success)
            #expect(result.json("After") == [["ok": true, "n": 1], ["error": "boom"]])
        }
    }

    @Test("continueErrorOutput: error items move to the extra output with the input item's json merged")
    func continueErrorOutput() async {
        let graph = EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"), EngineFixture.node("Node", "fail", 0, 0, [:], ["onError": "continueErrorOutput"]),
            EngineFixture.node("Good", "pass"), EngineFixture.node("Bad", "pass"),
        ], [("Start", 0, "Node", 0), ("Node", 0, "Good", 0), ("Node", 1, "Bad", 0)])
        let result = await EngineFixture.run(graph, .init(input: twoItems))
        #expect(result.json("Good") == [["ok": true, "n": 1]])
        #expect(result.json("Bad") == [["ok": false, "n": 2, "error": "boom"]])
    }

    @Test("a node that throws while continuing passes its input through on output 0")
    func wholeNodeThrowContinues() async {
        let graph = chain(EngineFixture.node("Node", "flaky", 0, 0, [:], ["onError": "continueErrorOutput"]))
        let result = await EngineFixture.run(graph, .init(input: twoItems))
        #expect(result.status == .success)
        #expect(result.runData["Node"]?.first?.error?.message == "attempt 1 failed")
        #expect(result.json("After")?.count == 2)
    }

    @Test("retryOnFail retries with n8n's clamped wait on the injected clock")
    func retries() async {
        let clock = RecordingClock()
        let graph = chain(EngineFixture.node("Node", "flaky", 0, 0, [:], ["retryOnFail": true, "maxTries": 9, "waitBetweenTries": 0]))
        let result = await EngineFixture.run(graph, clock: clock)
        #expect(result.status == .success)
        #expect(result.json("After")?.first?["attempts"] == 3)
        #expect(clock.recorded.count == 2)
        #expect(clock.recorded.allSatisfy { $0 > .milliseconds(900) && $0 <= .milliseconds(1000) })
        let once = await EngineFixture.run(chain(EngineFixture.node("Node", "flaky", 0, 0, [:], ["retryOnFail": true, "maxTries": 2])))
        #expect(once.status == .error)
    }

    @Test("retry parameters are clamped as in n8n")
    func retryClamping() {
        #expect(Engine.retryParameters(retryOnFail: false, maxTries: 5, waitBetweenTries: 10) == .init(tries: 1, waitMilliseconds: 0))
        #expect(Engine.retryParameters(retryOnFail: true, maxTries: nil, waitBetweenTries: nil) == .init(tries: 3, waitMilliseconds: 1000))
        #expect(Engine.retryParameters(retryOnFail: true, maxTries: 0, waitBetweenTries: 0) == .init(tries: 3, waitMilliseconds: 1000))
        #expect(Engine.retryParameters(retryOnFail: true, maxTries: 1, waitBetweenTries: 9000) == .init(tries: 2, waitMilliseconds: 5000))
        #expect(Engine.retryParameters(retryOnFail: true, maxTries: 10, waitBetweenTries: -5) == .init(tries: 5, waitMilliseconds: 0))
    }

    @Test("pinData: a pinned node outputs its pinned items in manual mode, and runs in other modes")
    func pinData() async {
        let pinned: JSONObject = ["Node": [["json": ["pinned": true]]]]
        let graph = chain(EngineFixture.node("Node", "fail"), pinData: pinned)
        let items = ["Node": [Item(json: ["pinned": true])]]
        let manual = await EngineFixture.run(graph, .init(mode: .manual, input: twoItems, pinData: items))
        #expect(manual.json("After") == [["pinned": true]])
        let webhook = await EngineFixture.run(graph, .init(mode: .webhook, input: twoItems, pinData: items))
        #expect(webhook.status == .error)
    }

    @Test("a disabled node passes input 0 through; a disabled pinned node ignores its pin data")
    func disabled() async {
        let graph = chain(EngineFixture.node("Node", "fail", 0, 0, [:], ["disabled": true]))
        let result = await EngineFixture.run(graph, .init(input: twoItems, pinData: ["Node": [Item(json: ["pinned": true])]]))
        #expect(result.status == .success)
        #expect(result.json("After")?.count == 2)
    }

    @Test("executeOnce runs the node with the first item only")
    func executeOnce() async {
        let result = await EngineFixture.run(chain(EngineFixture.node("Node", "pass", 0, 0, [:], ["executeOnce": true])), .init(input: twoItems))
        #expect(result.json("After") == [["ok": true, "n": 1]])
    }

    @Test("alwaysOutputData turns an empty output into one empty item paired with every input item")
    func alwaysOutputData() async {
        let plain = await EngineFixture.run(chain(EngineFixture.node("Node", "empty")), .init(input: twoItems))
        #expect(plain.runData["After"] == nil)
        let always = await EngineFixture.run(chain(EngineFixture.node("Node", "empty", 0, 0, [:], ["alwaysOutputData": true])), .init(input: twoItems))
        #expect(always.json("After") == [[:]])
        #expect(always.runData["Node"]?.first?.output?.first?.first?.pairedItem == [PairedItem(item: 0), PairedItem(item: 1)])
    }

    @Test("paired items: inputs are stamped and same-count outputs are paired by position")
    func pairedItems() async {
        let result = await EngineFixture.run(chain(EngineFixture.node("Node", "set", 0, 0, ["value": 1])), .init(input: twoItems))
        let items = result.runData["After"]?.first?.output?.first
        #expect(items?.map(\.pairedItem) == [[PairedItem(item: 0)], [PairedItem(item: 1)]])
    }

    @Test("the endless-loop guard and the node-run limit stop runaway executions")
    func loopGuard() async {
        let graph = EngineFixture.workflow([EngineFixture.node("Start", "trigger"), EngineFixture.node("Spin", "pass")],
                                           [("Start", 0, "Spin", 0), ("Spin", 0, "Spin", 0)])
        let result = await Engine(configuration: .init(clock: RecordingClock(), maxNodeRuns: 50)).run(graph)
        #expect(result.status == .error)
        #expect(result.error?.code == .endlessLoop)
        #expect(result.runData["Spin"]?.count == 49)
    }

    @Test("cancellation stops the run with status canceled")
    func cancellation() async {
        let graph = chain(EngineFixture.node("Node", "slow"))
        let task = Task { await Engine().run(graph) }
        task.cancel()
        let result = await task.value
        #expect(result.status == .canceled)
        #expect(result.runData["After"] == nil)
    }

    @Test("an execution timeout between nodes cancels the run")
    func timeout() async {
        let graph = chain(EngineFixture.node("Node", "pass"))
        let result = await EngineFixture.run(graph, .init(timeout: .zero))
        #expect(result.status == .canceled)
        #expect(result.error?.code == .timeout)
    }

    @Test("dry run: side-effecting nodes do not run; they describe the request or answer with pinned data")
    func dryRun() async {
        let graph = chain(EngineFixture.node("Node", "outside", 0, 0, ["url": "=https://example.org/{{ $json.n }}"]))
        let real = await EngineFixture.run(graph, .init(input: twoItems))
        #expect(real.status == .error)
        let simulated = await EngineFixture.run(graph, .init(mode: .dryRun, input: twoItems))
        #expect(simulated.status == .success)
        let described = simulated.json("After")?.compactMap { $0["dryRun"]?["wouldRunWith"]?["url"] }
        #expect(described == ["https://example.org/1", "https://example.org/2"])
        let pinned = await EngineFixture.run(graph, .init(mode: .dryRun, input: twoItems, pinData: ["Node": [Item(json: ["pinned": true])]]))
        #expect(pinned.json("After") == [["pinned": true]])
    }
}
