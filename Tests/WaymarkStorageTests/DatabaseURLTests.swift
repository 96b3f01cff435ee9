import Foundation
import Testing
import WaymarkPostgres
import WaymarkStorage
import WaymarkTestSupport

@Suite("DatabaseURL and connection errors")
struct DatabaseURLTests {
    @Test func sqliteURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite:waymark.sqlite") == .sqlite(path: "waymark.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite:/var/lib/waymark/data.sqlite") == .sqlite(path: "/var/lib/waymark/data.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/waymark/data.sqlite") == .sqlite(path: "/var/lib/waymark/data.sqlite"))
        let error = #expect(throws: StorageError.self) { try DatabaseURL(parsing: "sqlite:") }
        #expect(error?.code == .invalidURL)
    }

    @Test func postgresURLs() throws {
        guard case .postgres(let a) = try DatabaseURL(parsing: "postgres://user:pass@host:5432/db") else {
            Issue.record("not a PostgreSQL URL")
            return
        }
        #expect(a.username == "user")
        #expect(a.password == "pass")
        #expect(a.host == "host")
        #expect(a.port == 5432)
        #expect(a.database == "db")

        guard case .postgres(let b) = try DatabaseURL(parsing: "postgresql://wm@db.example:6543/waymark?sslmode=disable") else {
            Issue.record("not a PostgreSQL URL")
            return
        }
        #expect(b.username == "wm")
        #expect(b.password == nil)
        #expect(b.host == "db.example")
        #expect(b.port == 6543)
        #expect(b.database == "waymark")

        guard case .postgres(let c) = try DatabaseURL(parsing: "postgres://u:p%40ss%3Aword@localhost/db") else {
            Issue.record("not a PostgreSQL URL")
            return
        }
        #expect(c.password == "p@ss:word")
        #expect(c.port == 5432)

        let url = try DatabaseURL(parsing: "postgres://user:secret@host:5432/db")
        #expect(!url.description.contains("secret"), "descriptions mask the password")

        for bad in ["postgres://user@host", "postgres://user@host:notaport/db", "postgres://user@host:70000/db", "postgres://user@:5432/db"] {
            let error = #expect(throws: StorageError.self, "\(bad)") { try DatabaseURL(parsing: bad) }
            #expect(error?.code == .invalidURL)
        }
    }

    @Test func unknownScheme() {
        let error = #expect(throws: StorageError.self) { try DatabaseURL(parsing: "mysql://x") }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains("'mysql'") == true, "\(error?.message ?? "")")
    }

    @Test("a server that is down is reported as unavailable")
    func serverDown() async throws {
        // Port 1 (tcpmux) has no listener on any machine these tests run on: the connection is refused.
        guard case .postgres(let address) = try DatabaseURL(parsing: "postgres://waymark:pw@127.0.0.1:1/waymark") else { return }
        let error = await storageError { _ = try await PostgresDatabase.connect(address) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("Cannot connect to PostgreSQL at 127.0.0.1:1") == true, "\(error?.message ?? "")")
    }

    @Test("a wrong password is reported as unavailable, naming the credentials",
          .enabled(if: Backend.postgresEnabled, Backend.skipNote))
    func wrongPassword() async throws {
        var address = try Backend.postgresAddress()
        guard address.password != nil else {
            print("WAYMARK_TEST_POSTGRES_URL has no password, so the server does not check one: wrong-password case not applicable")
            return
        }
        address.password = "not-the-password"
        let error = await storageError { _ = try await PostgresDatabase.connect(address) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("refused the credentials for user '\(address.username)'") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("not-the-password") == false, "the message never repeats the password")
    }

    @Test("a database that does not exist is reported as unavailable", .enabled(if: Backend.postgresEnabled, Backend.skipNote))
    func missingDatabase() async throws {
        var address = try Backend.postgresAddress()
        address.database = "wm_does_not_exist_\(UUID().uuidString.prefix(8).lowercased())"
        let error = await storageError { _ = try await PostgresDatabase.connect(address) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("Database '\(address.database)' does not exist") == true, "\(error?.message ?? "")")
    }
}
