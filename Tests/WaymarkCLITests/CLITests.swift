import Foundation
import Testing
import WaymarkCore
import WaymarkSQLite
import WaymarkStorage

/// Runs the built `waymark` binary as a user would, checking exit codes and messages.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits beside the products it was built with.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [beside, beside.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("waymark")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/waymark")
    }

    static func run(_ arguments: String...) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["WAYMARK_DATABASE_URL"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDatabase() -> String {
        "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("waymark-cli-\(UUID().uuidString).sqlite").path
    }
}

@Suite("waymark CLI")
struct CLITests {
    @Test("help lists every command")
    func help() throws {
        let result = try CLI.run("--help")
        #expect(result.status == 0)
        for command in ["serve", "migrate", "seed", "export", "bench"] { #expect(result.stdout.contains(command)) }
    }

    @Test("an unknown database URL scheme is a clear error with a non-zero exit")
    func unknownScheme() throws {
        let result = try CLI.run("migrate", "--database", "mysql://localhost/waymark")
        #expect(result.status != 0)
        #expect(result.stderr.contains("Unknown database URL scheme 'mysql'"))
    }

    @Test("a PostgreSQL server that is down is a clear error with a non-zero exit")
    func postgresDown() throws {
        let result = try CLI.run("migrate", "--database", "postgres://waymark:secret@127.0.0.1:1/waymark")
        #expect(result.status != 0)
        #expect(result.stderr.contains("Cannot connect to PostgreSQL at 127.0.0.1:1"))
        #expect(!result.stderr.contains("secret"), "the password is never echoed")
    }

    @Test("seed loads the demo once, then refuses a database that holds data and changes nothing")
    func seedTwice() async throws {
        let database = CLI.temporaryDatabase()
        let first = try CLI.run("seed", "--demo", "--database", database)
        #expect(first.status == 0)
        #expect(first.stdout.contains("imported 649 organisations from an ODS extract") && first.stdout.contains("loaded 2,268 projects"), "\(first.stdout)")
        // Built through the services: one audited import, each supplier and contract audited, roll-outs in waves.
        let store = try await SQLiteDatabase.openStore(path: String(database.dropFirst("sqlite:".count)))
        func audited(_ action: String) async throws -> Int64 {
            try await store.database.fetch("SELECT COUNT(*) AS n FROM audit_entry WHERE action = ?", [.text(action)])[0].int("n")
        }
        let imports = try await audited("import organisations"), contracts = try await audited("add supplier contract")
        let rollOuts = try await audited("roll out")
        #expect(imports == 2 && contracts == 35 && rollOuts == 2)
        let sha = try await store.organisation(code: "Q01", scope: .national)
        #expect(sha?.openedOn == Day(iso: "2004-01-01"))
        try await store.database.close()
        #expect(first.stderr.contains("100%"), "a progress bar is shown")
        let export = try CLI.run("export", "projects", "--format", "csv", "--database", database)
        let second = try CLI.run("seed", "--demo", "--database", database)
        #expect(second.status != 0)
        #expect(second.stderr.contains("already holds"))
        #expect(try CLI.run("export", "projects", "--format", "csv", "--database", database).stdout == export.stdout)
    }

    @Test("export writes one CSV row per project; an unknown organisation code is an error")
    func export() throws {
        let database = CLI.temporaryDatabase()
        _ = try CLI.run("seed", "--demo", "--database", database)
        let all = try CLI.run("export", "projects", "--format", "csv", "--database", database)
        #expect(all.status == 0)
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("project,organisation_code,organisation,product,type,stage,status,supplier,") == true)
        #expect(lines.count > 2000)
        let within = try CLI.run("export", "projects", "--format", "csv", "--within", "Q01", "--database", database)
        #expect(within.status == 0)
        #expect(within.stdout.split(separator: "\n").count < lines.count)
        let unknown = try CLI.run("export", "projects", "--format", "csv", "--within", "NOPE", "--database", database)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No organisation has the code 'NOPE'"))
        let format = try CLI.run("export", "projects", "--format", "xlsx", "--database", database)
        #expect(format.status != 0)
        #expect(format.stderr.contains("Unknown format 'xlsx'"))
    }

    @Test("org adds, edits and closes an organisation through the service; a wrong level or a taken code is an error")
    func organisations() throws {
        let database = CLI.temporaryDatabase()
        _ = try CLI.run("seed", "--demo", "--database", database)
        let added = try CLI.run("org", "add", "--code", "zz-lhc", "--name", "Riverside LHC", "--kind", "lhc", "--parent", "Q01",
                                "--database", database)
        #expect(added.status == 0 && added.stdout.contains("Added ZZ-LHC"), "\(added.stderr)")
        let again = try CLI.run("org", "add", "--code", "ZZ-LHC", "--name", "Copy", "--kind", "lhc", "--parent", "Q01", "--database", database)
        #expect(again.status != 0 && again.stderr.contains("already an organisation's code"))
        let level = try CLI.run("org", "add", "--code", "ZZ-SITE", "--name", "Clinic", "--kind", "site", "--parent", "Q01", "--database", database)
        #expect(level.status != 0 && level.stderr.contains("sits under a trust"))
        let edited = try CLI.run("org", "edit", "ZZ-LHC", "--name", "Riverside Health Community", "--database", database)
        #expect(edited.status == 0 && edited.stdout.contains("Riverside Health Community"))
        let early = try CLI.run("org", "close", "ZZ-LHC", "--on", "2001-01-01", "--database", database)
        #expect(early.status != 0 && early.stderr.contains("before it opened"))
        let closed = try CLI.run("org", "close", "ZZ-LHC", "--database", database)
        #expect(closed.status == 0 && closed.stdout.contains("Closed ZZ-LHC on "), "\(closed.stderr)")
    }

    @Test("user import lists every rejected row by line and writes nothing; a good file previews, then imports with --apply")
    func userImport() throws {
        let database = CLI.temporaryDatabase()
        _ = try CLI.run("seed", "--demo", "--database", database)
        let directory = FileManager.default.temporaryDirectory
        func file(_ text: String) throws -> String {
            let url = directory.appendingPathComponent("users-\(UUID().uuidString).csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let missing = try CLI.run("user", "import", try file("username,name,organisation\npat,Pat,NPO\n"), "--apply", "--database", database)
        #expect(missing.status != 0 && missing.stderr.contains("line 1: The file has no 'role' column"))
        let bad = try CLI.run("user", "import", try file("""
            username,name,role,organisation
            pat,Pat,auditor,NPO
            pat,Pat Twice,auditor,NPO
            sam,Sam,auditor,NOPE
            kim,Kim,trust-project-manager,NPO
            """), "--apply", "--database", database)
        #expect(bad.status != 0, "\(bad.stdout)")
        #expect(bad.stderr.contains("line 3: The username 'pat' also appears on line 2"))
        #expect(bad.stderr.contains("line 4: Unknown organisation 'NOPE'") && bad.stderr.contains("line 5: The role Trust project manager belongs at"))
        #expect(bad.stderr.contains("Nothing was imported"))
        #expect(!(try CLI.run("user", "list", "--database", database)).stdout.contains("pat\t"), "nothing was written")
        let good = try file("username,name,role,organisation\npat,Pat Auditor,auditor,NPO\n")
        let preview = try CLI.run("user", "import", good, "--database", database)
        #expect(preview.status == 0 && preview.stdout.contains("1 to add: pat.") && preview.stdout.contains("Nothing was written"))
        let applied = try CLI.run("user", "import", good, "--apply", "--database", database)
        #expect(applied.status == 0 && applied.stdout.contains("Imported."), "\(applied.stderr)")
        #expect(try CLI.run("user", "list", "--database", database).stdout.contains("pat\tauditor\tNPO\tactive"))
        let link = try CLI.run("user", "reset-link", "pat", "--database", database)
        #expect(link.status == 0 && link.stdout.hasPrefix("http://127.0.0.1:8080/reset/"))
    }

    @Test("seed refuses an unknown scale")
    func unknownScale() throws {
        let result = try CLI.run("seed", "--scale", "moon", "--database", CLI.temporaryDatabase())
        #expect(result.status != 0)
        #expect(result.stderr.contains("Unknown scale 'moon'"))
    }
}
