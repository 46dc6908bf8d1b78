import Foundation

/// A fresh database with the Sales Machine's migrations and seed applied (scripts/sales-db.sh),
/// driven through psql as the gateway and workflows would send SQL.
struct SalesDatabase {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var adminURL: String {
        ProcessInfo.processInfo.environment["FLOWRUN_TEST_POSTGRES_ADMIN_URL"]
            ?? "postgres://postgres:postgres@127.0.0.1:55432/postgres"
    }

    let name: String
    var url: String {
        let admin = Self.adminURL
        guard let slash = admin.range(of: "/", options: .backwards) else { return admin }
        return admin[..<slash.lowerBound] + "/" + name
    }

    /// Creates database `name` (dropping a leftover), applies migrations and seed, runs `body`, drops it.
    static func withFresh<T>(_ name: String, _ body: (SalesDatabase) throws -> T) throws -> T {
        let database = try create(name)
        defer { drop(name) }
        return try body(database)
    }

    /// `withFresh` for an async body.
    static func withFreshAsync(_ name: String, _ body: (SalesDatabase) async throws -> Void) async throws {
        let database = try create(name)
        defer { drop(name) }
        try await body(database)
    }

    /// Creates database `name` (dropping a leftover) and applies the migrations and seed. When the
    /// migrations fail the database is dropped again.
    private static func create(_ name: String) throws -> SalesDatabase {
        let database = SalesDatabase(name: name)
        do {
            _ = try psql(adminURL, "drop database if exists \(name) with (force)")
            _ = try psql(adminURL, "create database \(name)")
        } catch {
            throw Failure(description: "FLOWRUN_TEST_POSTGRES_ADMIN_URL (\(adminURL)) unusable: \(error)")
        }
        do {
            _ = try run(repositoryRoot.appendingPathComponent("scripts/sales-db.sh").path, [database.url])
        } catch {
            drop(name)
            throw error
        }
        return database
    }

    private static func drop(_ name: String) {
        _ = try? psql(adminURL, "drop database if exists \(name) with (force)")
    }

    /// Runs `sql` as the owner (background workflows' rights); returns psql's unaligned rows.
    func owner(_ sql: String) throws -> [String] {
        try Self.psql(url, sql)
    }

    /// Runs `sql` in a transaction as role authenticated with `claims`, as the gateway does.
    func asUser(_ claims: String, _ sql: String) throws -> [String] {
        let escaped = claims.replacingOccurrences(of: "'", with: "''")
        return try Self.psql(
            url,
            """
            begin;
            set local role authenticated;
            select set_config('request.jwt.claims', '\(escaped)', true) is not null;
            \(sql);
            commit;
            """
        ).dropFirst().map { $0 }
    }

    static func psql(_ url: String, _ sql: String) throws -> [String] {
        try run("/usr/bin/env", ["psql", url, "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        String(decoding: try runData(executable, arguments), as: UTF8.self)
    }

    /// Runs a program with `input` on its standard input; answers its standard output.
    static func runData(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(executable) \(arguments.first ?? ""): exit \(process.terminationStatus): "
                    + String(decoding: errors, as: UTF8.self))
        }
        return output
    }
}
