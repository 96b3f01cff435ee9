import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkService
import WaymarkServer
import WaymarkSQLite
import WaymarkStorage

/// A demo programme in a temporary SQLite file, served in-process with a clock fixed at 2026-11-24.
struct TestApp {
    static let today = Day(iso: "2026-11-24")!
    let store: SQLStore
    let service: ProgrammeService
    let dataset: ProgrammeDataset

    static func make() async throws -> TestApp {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-server-\(UUID().uuidString).sqlite").path
        let store = try await SQLiteDatabase.openStore(path: path)
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        let dataset = generator.generate()
        try await store.load(dataset, progress: nil)
        return TestApp(store: store, service: ProgrammeService(store: store, clock: .fixed(today)), dataset: dataset)
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try buildApplication(service: service, configuration: ServerConfiguration())
        try await app.test(.router, body)
    }

    /// An open LSP project with nothing achieved yet, for milestone-form tests.
    func unstartedLSPProject() throws -> ImplementationProject {
        try #require(dataset.projects.first { $0.type == .lsp && $0.achievedCount == 0 && $0.milestones[0].baseline! > TestApp.today })
    }

    func espProject() throws -> ImplementationProject {
        try #require(dataset.projects.first { $0.type == .esp })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// Pulls the CSRF cookie and the form token out of a project page response.
struct FormSession {
    var cookie: String
    var token: String
    var version: String

    init(_ response: TestResponse) throws {
        let setCookie = try #require(response.headers[.setCookie])
        cookie = String(setCookie.split(separator: ";")[0])
        let page = response.text
        token = try #require(Self.hiddenValue("csrf", in: page))
        version = try #require(Self.hiddenValue("version", in: page))
    }

    static func hiddenValue(_ name: String, in page: String) -> String? {
        guard let range = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    func headers(origin: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: cookie]
        if let origin { fields[HTTPField.Name("Origin")!] = origin }
        return fields
    }

    func body(_ fields: [(String, String)], token: String? = nil) -> ByteBuffer {
        let all = [("csrf", token ?? self.token), ("version", version)] + fields
        return ByteBuffer(string: all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&"))
    }
}
