import Testing

@testable import FlowrunNodes

@Suite("Task-runner settings from the environment")
struct TaskRunnerEnvironmentTests {
    @Test("n8n's variables fill the pool configuration")
    func n8nVariables() throws {
        let configuration = try TaskRunnerPool.Configuration.fromEnvironment([
            "NODE_FUNCTION_ALLOW_BUILTIN": "crypto, url", "NODE_FUNCTION_ALLOW_EXTERNAL": "*",
            "N8N_RUNNERS_TASK_TIMEOUT": "5", "N8N_RUNNERS_MAX_OLD_SPACE_SIZE": "256", "N8N_RUNNERS_MAX_CONCURRENCY": "3",
            "FLOWRUN_RUNNERS_UNRESTRICTED": "1",
        ])
        #expect(configuration.allowedBuiltinModules == ["crypto", "url"])
        #expect(configuration.allowedExternalModules == ["*"])
        #expect(configuration.taskTimeout == .seconds(5))
        #expect(configuration.memoryLimitMB == 256)
        #expect(configuration.maxProcessesPerLanguage == 3)
        #expect(configuration.restrictsRunnerPermissions == false)
    }

    @Test("an empty environment keeps the defaults")
    func defaults() throws {
        let configuration = try TaskRunnerPool.Configuration.fromEnvironment([:])
        #expect(configuration.allowedBuiltinModules.isEmpty)
        #expect(configuration.taskTimeout == .seconds(60))
        #expect(configuration.restrictsRunnerPermissions)
    }

    @Test("a bad number names the variable")
    func badNumber() {
        #expect {
            _ = try TaskRunnerPool.Configuration.fromEnvironment(["N8N_RUNNERS_TASK_TIMEOUT": "soon"])
        } throws: { error in
            "\(error)" == "N8N_RUNNERS_TASK_TIMEOUT: must be a positive whole number, not \"soon\""
        }
    }
}
