import Testing
import WaymarkPostgres
import WaymarkStorage
import WaymarkTestSupport

/// PostgreSQL down or saturated (issue 12): a request waits a bounded time for a connection and
/// then fails as unavailable (503), instead of hanging and committing after the client gave up.
@Suite("PostgreSQL connection wait")
struct PostgresConnectionWaitTests {
    @Test("a query waits at most connectionWait for a pooled connection, then is unavailable; it runs again once one is free",
          .enabled(if: Backend.postgresEnabled, Backend.skipNote))
    func boundedWait() async throws {
        let database = try await PostgresDatabase.connect(try Backend.postgresAddress(), connectionWait: .milliseconds(400))
        do {
            // Open the whole pool (16 connections) first, so the busy queries below lease at once.
            var warm = false
            for _ in 0..<50 where !warm {
                let results = await Self.concurrently(16) { _ in _ = try await database.fetch("SELECT pg_sleep(0.2)", []) }
                warm = results.allSatisfy { $0 }
            }
            #expect(warm, "the pool opened its 16 connections")
            // The busy work far outlasts the wait, so answering before it ends is the bounded wait,
            // however slowly a loaded machine runs the timer.
            async let busy = Self.concurrently(16) { _ in _ = try await database.fetch("SELECT pg_sleep(15)", []) }
            // Wait until the server runs all 16 (a loaded machine may take seconds to start them).
            let watcher = try await PostgresDatabase.connect(try Backend.postgresAddress(), connectionWait: Backend.connectionWait)
            var sleeping = 0
            for _ in 0..<100 where sleeping < 16 {
                try await Task.sleep(for: .milliseconds(100))
                let rows = try await watcher.fetch(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(15)'", [])
                sleeping = Int(rows.first?.int("n") ?? 0)
            }
            try await watcher.close()
            #expect(sleeping == 16, "all 16 busy queries are running")
            let started = ContinuousClock.now
            let error = await storageError { _ = try await database.fetch("SELECT 1", []) }
            let waited = ContinuousClock.now - started
            #expect(error?.code == .unavailable)
            #expect(waited < .seconds(10), "answered after \(waited), not after the busy queries")
            #expect(await busy.allSatisfy { $0 }, "leased work is never cut short")
            #expect(try await database.fetch("SELECT 1", []).count == 1)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    static func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async -> [Bool] {
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<count {
                group.addTask {
                    do {
                        try await body(index)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
    }
}
