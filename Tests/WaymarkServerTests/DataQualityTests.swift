import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkService
import WaymarkSQLite
import WaymarkStorage
import WaymarkTestSupport

/// Data-quality checks and migration loads (issue 14): over the API and the pages, on both
/// backends, and the proof that no NHS Number or demographic value is kept anywhere.
@Suite("Data quality: NHS Number checks and migration loads")
struct DataQualityTests {
    /// `count` distinct valid NHS Numbers, none of them in the demo.
    static func numbers(_ count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        var found: [String] = []
        while found.count < count {
            let nine = (0..<9).map { _ in random.below(10) }
            if let check = NHSNumber.checkDigit(nine) { found.append(nine.map(String.init).joined() + String(check)) }
        }
        return found
    }

    static func project(_ app: TestApp) throws -> ImplementationProject {
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        return try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
    }

    static func multipart(_ form: FormSession, file: String, name: String = "extract.csv") -> (HTTPFields, ByteBuffer) {
        let boundary = "dqcheck"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(form.token)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        var headers = form.headers()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return (headers, ByteBuffer(string: body))
    }

    static func checks(_ app: TestApp) async throws -> Int64 {
        try await app.store.database.fetch("SELECT COUNT(*) AS n FROM data_quality_check", [])[0].int("n")
    }

    @Test("the API checks an extract and keeps its counts; bad files and bad loads change nothing; the history lists both", arguments: Backend.testable)
    func api(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let code = try Self.project(app).code
            let numbers = Self.numbers(4, seed: 1)
            let extract = "NHS Number,Family name,Postcode\n\(numbers[0]),Ames,LS1 1AA\n\(numbers[1]),,LS1 1AB\n\(numbers[0]),Ames,\n1234567890,Bell,LS1 1AC\n,Cole,LS1 1AD\n"
            try await app.test(as: .trustProjectManager) { client async throws in
                let uri = "/api/v1/projects/\(code)/data-quality-checks"
                let created = try await client.execute(uri: uri, method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: extract))
                #expect(created.status == .created, "\(created.text)")
                let counts = try #require(try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any])
                #expect(["records", "valid", "invalid", "missing", "duplicates", "validPerMille"].map { counts[$0] as? Int } == [5, 3, 1, 1, 1, 600])
                let fields = (counts["fields"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") \($0["missing"] ?? "")" }
                #expect(fields == ["Family name 1", "Postcode 1"])
                let list = try await client.execute(uri: uri, method: .post, headers: [.contentType: "text/plain"],
                                                    body: ByteBuffer(string: numbers.joined(separator: "\n")))
                #expect(list.status == .created && list.text.contains(#""source":"list""#) && list.text.contains(#""valid":4"#))

                let before = try await Self.checks(app)
                for (body, type, status, fragment) in [("Name,Postcode\nAmes,LS1 1AA\n", "text/csv", HTTPResponse.Status.unprocessableContent, "no NHS Number column"),
                                                       ("NHS Number\n\u{0}\u{1}PK\n", "text/csv", .unprocessableContent, "not a CSV file")] {
                    let refused = try await client.execute(uri: uri, method: .post, headers: [.contentType: type], body: ByteBuffer(string: body))
                    #expect(refused.status == status && refused.text.contains(fragment), "\(refused.text)")
                }
                let empty = try await client.execute(uri: uri, method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: "NHS Number\n"))
                #expect(empty.status == .unprocessableContent && empty.text.contains("no records"))
                #expect(try await Self.checks(app) == before, "nothing was recorded")

                let loads = "/api/v1/projects/\(code)/migration-loads"
                let load = #"{"name": "Trial load 1", "loadedOn": "\#(TestApp.today.adding(days: -3).iso)", "migrated": 1000, "verified": 990, "rejected": 12}"#
                let recorded = try await client.execute(uri: loads, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: load))
                #expect(recorded.status == .created && recorded.text.contains(#""verified":990"#))
                let over = load.replacingOccurrences(of: "990", with: "1001")
                let refused = try await client.execute(uri: loads, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: over))
                #expect(refused.status == .unprocessableContent && refused.text.contains("No more records can be verified"))
                let future = load.replacingOccurrences(of: TestApp.today.adding(days: -3).iso, with: TestApp.today.adding(days: 1).iso)
                let early = try await client.execute(uri: loads, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: future))
                #expect(early.status == .unprocessableContent && early.text.contains("after today"))

                let history = try await client.execute(uri: "/api/v1/projects/\(code)/data-quality", method: .get)
                #expect(history.status == .ok && history.text.contains("Trial load 1") && history.text.components(separatedBy: #""checkedOn""#).count == 3)
            }
            // Over the limit (1 KiB here): the stream is counted as it arrives, on the API and the page.
            let credentials = try await app.signIn(.trustProjectManager)
            let large = "NHS Number\n" + String(repeating: "9434765919\n", count: 200)
            try await app.test(credentials, configuration: ServerConfiguration(dataQualityMaximumBytes: 1024)) { client async throws in
                let before = try await Self.checks(app)
                let api = try await client.execute(uri: "/api/v1/projects/\(code)/data-quality-checks", method: .post,
                                                   headers: [.contentType: "text/csv"], body: ByteBuffer(string: large))
                #expect(api.status == .contentTooLarge && api.text.contains("1024 bytes"), "\(api.status) \(api.text)")
                let form = try FormSession(try await client.execute(uri: "/projects/\(code)/data-quality", method: .get))
                let (headers, body) = Self.multipart(form, file: large)
                let page = try await client.execute(uri: "/projects/\(code)/data-quality", method: .post, headers: headers, body: body)
                #expect(page.status == .contentTooLarge, "\(page.status)")
                #expect(try await Self.checks(app) == before, "nothing was recorded")
            }
            try await app.test(as: .projectBoardMember) { client async throws in
                let refused = try await client.execute(uri: "/api/v1/projects/\(code)/data-quality-checks", method: .post,
                                                       headers: [.contentType: "text/csv"], body: ByteBuffer(string: extract))
                #expect(refused.status == .forbidden, "a board member reads data quality but does not record it")
            }
        }
    }

    @Test("the page streams an upload, shows the trend and each check's counts, and refuses a file with no NHS Number column")
    func page() async throws {
        try await TestApp.with(.sqlite) { app async throws in
            let code = try Self.project(app).code
            let numbers = Self.numbers(3, seed: 2)
            try await app.test(as: .trustProjectManager) { client async throws in
                #expect(try await client.execute(uri: "/projects/\(code)", method: .get).text.contains("/projects/\(code)/data-quality"))
                let page = try await client.execute(uri: "/projects/\(code)/data-quality", method: .get)
                #expect(page.status == .ok && page.text.contains("No checks yet") && page.text.contains("Check an extract"))
                let form = try FormSession(page)
                let (badHeaders, badBody) = Self.multipart(form, file: "Name\nAmes\n")
                let bad = try await client.execute(uri: "/projects/\(code)/data-quality", method: .post, headers: badHeaders, body: badBody)
                #expect(bad.status == .unprocessableContent && bad.text.contains("no NHS Number column") && bad.text.contains("Nothing was changed"))
                let (headers, body) = Self.multipart(form, file: "NHS Number,Name\n" + numbers.map { "\($0),Ames" }.joined(separator: "\n") + "\nX,\n")
                let sent = try await client.execute(uri: "/projects/\(code)/data-quality", method: .post, headers: headers, body: body)
                #expect(sent.status == .seeOther)
                let shown = try await client.execute(uri: "/projects/\(code)/data-quality?checked=1", method: .get).text
                #expect(shown.contains("Only the counts were kept") && shown.contains("<svg class=\"chart\"") && shown.contains("75.0%"))
                #expect(shown.contains("Name 1"), "the empty Name cell is counted")
                let load = try await client.execute(uri: "/projects/\(code)/migration-loads", method: .post, headers: form.headers(),
                                                    body: form.body([("name", ""), ("loadedOn", TestApp.today.iso), ("migrated", "10"), ("verified", "x"), ("rejected", "0")]))
                #expect(load.status == .unprocessableContent && load.text.contains("Name the load") && load.text.contains("records verified"))
            }
        }
    }

    @Test("no NHS Number or name uploaded is in the database, its files, or the log afterwards")
    func keepsNoPatientData() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-dq-\(UUID().uuidString).sqlite").path
        try DatasetTemplates.copySQLite(try await DatasetTemplates.shared.template("demo", backend: .sqlite, dataset: TestApp.demoDataset), to: path)
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = TestApp(store: try await SQLiteDatabase.openStore(path: path), dataset: TestApp.demoDataset)
        let code = try Self.project(app).code
        let numbers = Self.numbers(40, seed: 3)
        let name = "Zebedee-Quixotic"
        let extract = "NHS Number,Family name,Date of birth\n" + numbers.map { "\($0),\(name),1931-02-03" }.joined(separator: "\n") + "\n"
        let credentials = try await app.signIn(.trustProjectManager)
        let log = CapturedLog()
        try await app.test(credentials, logger: log.logger) { client async throws in
            let api = try await client.execute(uri: "/api/v1/projects/\(code)/data-quality-checks", method: .post,
                                               headers: [.contentType: "text/csv", HTTPField.Name("Idempotency-Key")!: "dq-1"], body: ByteBuffer(string: extract))
            #expect(api.status == .created)
            let form = try FormSession(try await client.execute(uri: "/projects/\(code)/data-quality", method: .get))
            let (headers, body) = Self.multipart(form, file: extract)
            #expect(try await client.execute(uri: "/projects/\(code)/data-quality", method: .post, headers: headers, body: body).status == .seeOther)
            let bad = extract.replacingOccurrences(of: "NHS Number", with: "Identifier")
            let refused = try await client.execute(uri: "/api/v1/projects/\(code)/data-quality-checks", method: .post,
                                                   headers: [.contentType: "text/csv"], body: ByteBuffer(string: bad))
            #expect(refused.status == .unprocessableContent)
        }
        #expect(try await Self.checks(app) == 2)
        var kept = Data()
        for suffix in ["", "-wal", "-shm"] { kept += FileManager.default.contents(atPath: path + suffix) ?? Data() }
        if let files = FileManager.default.enumerator(atPath: path + "-files") {
            for case let file as String in files { kept += FileManager.default.contents(atPath: path + "-files/" + file) ?? Data() }
        }
        #expect(kept.count > 100_000, "the database was read")
        let logged = Data(log.lines.joined(separator: "\n").utf8)
        for needle in numbers + [name, "1931-02-03"] {
            #expect(kept.range(of: Data(needle.utf8)) == nil, "\(needle) is in the database or its files")
            #expect(logged.range(of: Data(needle.utf8)) == nil, "\(needle) is in the log")
        }
    }
}
