import Foundation
import Testing

@Suite("CLI: flowrun credentials")
struct CredentialsCommandTests {
    static let key = "a passphrase for the cli tests"

    @Test("set creates and updates entries; list shows names and fields, never values")
    func setAndList() throws {
        let folder = try CLIRunner.folder([:])
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("creds.json").path
        let set = try CLIRunner.run(["credentials", "set", file, "--type", "postgres", "--name", "Main DB", "--id", "7",
                                     "host=db.local", "port=6543", "password=env:TEST_PG_PASSWORD"],
                                    environment: ["TEST_PG_PASSWORD": "pw-from-env-123"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(!set.stderr.contains("pw-from-env-123"))
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written.contains("\"port\": 6543"))
        #expect(written.contains("pw-from-env-123"))

        let update = try CLIRunner.run(["credentials", "set", file, "--type", "postgres", "--name", "Main DB", "user=app"])
        #expect(update.status == 0)
        let list = try CLIRunner.run(["credentials", "list", file])
        #expect(list.status == 0)
        #expect(list.lines == ["postgres\tMain DB\t7\thost,password,port,user"])
        #expect(!list.stdout.contains("pw-from-env-123") && !list.stdout.contains("db.local"))
        let json = try CLIRunner.run(["credentials", "list", file, "--format", "json"])
        #expect(json.stdout.contains(#""fields":["host","password","port","user"]"#))
    }

    @Test("encrypt, list and decrypt with the key; without it or with a wrong one, exit 1 with a message and no secret")
    func encryptDecrypt() throws {
        let plain = #"[{"id":"1","name":"Claude","type":"anthropicApi","data":{"apiKey":"sk-ant-CLI-SECRET"}}]"#
        let folder = try CLIRunner.folder(["creds.json": plain])
        let file = folder.appendingPathComponent("creds.json").path
        let env = ["FLOWRUN_CREDENTIALS_KEY": Self.key]

        let noKey = try CLIRunner.run(["credentials", "encrypt", file])
        #expect(noKey.status == 1)
        #expect(noKey.stderr.contains("FLOWRUN_CREDENTIALS_KEY"))

        let encrypt = try CLIRunner.run(["credentials", "encrypt", file], environment: env)
        #expect(encrypt.status == 0, "\(encrypt.stderr)")
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains("sk-ant-CLI-SECRET"))

        let list = try CLIRunner.run(["credentials", "list", file], environment: env)
        #expect(list.lines == ["anthropicApi\tClaude\t1\tapiKey"])
        #expect(list.stderr.contains("encrypted file"))

        let locked = try CLIRunner.run(["credentials", "list", file])
        #expect(locked.status == 1)
        #expect(locked.stderr.contains("is encrypted; set FLOWRUN_CREDENTIALS_KEY"))

        let wrong = try CLIRunner.run(["credentials", "decrypt", file], environment: ["FLOWRUN_CREDENTIALS_KEY": "not the right passphrase"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("cannot decrypt"))
        #expect(!wrong.stderr.contains("sk-ant-CLI-SECRET") && !wrong.stdout.contains("sk-ant-CLI-SECRET"))

        let decrypt = try CLIRunner.run(["credentials", "decrypt", file], environment: env)
        #expect(decrypt.status == 0)
        #expect(decrypt.stdout.contains("\"apiKey\": \"sk-ant-CLI-SECRET\""))

        let rotate = try CLIRunner.run(["credentials", "rotate", file, "--new-key-env", "NEXT_KEY"],
                                       environment: env.merging(["NEXT_KEY": "the next passphrase to use"]) { $1 })
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(try CLIRunner.run(["credentials", "list", file], environment: env).status == 1)
        let afterRotate = try CLIRunner.run(["credentials", "decrypt", file, "--in-place"],
                                            environment: ["FLOWRUN_CREDENTIALS_KEY": "the next passphrase to use"])
        #expect(afterRotate.status == 0)
        #expect((try String(contentsOfFile: file, encoding: .utf8)).contains("sk-ant-CLI-SECRET"))
    }

    @Test("run and dry-run read an encrypted credentials file and never print its secrets")
    func runsKeepSecrets() throws {
        let workflow = """
            {"name":"Leak","nodes":[
              {"parameters":{},"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0]},
              {"parameters":{"modelId":"claude-3-5-haiku-20241022","messages":{"values":[{"content":"={{ $json.leak }}"}]}},
               "name":"Claude","type":"@n8n/n8n-nodes-langchain.anthropic","typeVersion":1,"position":[200,0],
               "credentials":{"anthropicApi":{"id":"1","name":"Claude"}}},
              {"parameters":{"errorMessage":"=bad key {{ $json.dryRun.wouldRunWith.messages.values[0].content }}"},
               "name":"Fail","type":"n8n-nodes-base.stopAndError","typeVersion":1,"position":[400,0]}],
             "connections":{"Start":{"main":[[{"node":"Claude","type":"main","index":0}]]},
                            "Claude":{"main":[[{"node":"Fail","type":"main","index":0}]]}}}
            """
        let plain = #"[{"id":"1","name":"Claude","type":"anthropicApi","data":{"apiKey":"sk-ant-DRY-SECRET"}}]"#
        let folder = try CLIRunner.folder(["wf.json": workflow, "creds.json": plain])
        let file = folder.appendingPathComponent("creds.json").path
        let env = ["FLOWRUN_CREDENTIALS_KEY": Self.key]
        #expect(try CLIRunner.run(["credentials", "encrypt", file], environment: env).status == 0)
        for format in ["text", "json"] {
            let dry = try CLIRunner.run(["dry-run", "wf.json", "--credentials", "creds.json", "--format", format,
                                         "--input", #"{"leak": "sk-ant-DRY-SECRET"}"#], in: folder, environment: env)
            #expect(dry.status == 1)
            #expect(dry.stdout.contains("bad key [redacted]"), "\(dry.stdout)")
            #expect(!dry.stdout.contains("sk-ant-DRY-SECRET") && !dry.stderr.contains("sk-ant-DRY-SECRET"))
        }
    }
}
