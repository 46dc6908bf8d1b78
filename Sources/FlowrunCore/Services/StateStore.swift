/// Durable state with one interface and two implementations: embedded SQLite (FlowrunSQLite, the
/// default) and Postgres (FlowrunPostgres/Store). Owner: state store.
///
/// Operations that correctness depends on are atomic in the store (one transaction or one
/// statement), never read-then-write in Swift. The store's sub-protocols are declared beside the
/// features that use them (executions, static data, rate limits, breakers, caches).
public protocol StateStore: Sendable {
    /// Creates or upgrades the schema. Idempotent; safe when several processes start at once.
    func migrate() async throws
}
