import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkServer
import WaymarkSQLite
import WaymarkStorage
import WaymarkTestSupport

/// A demo programme served in-process with a clock fixed at 2026-11-24, on SQLite by default
/// or on any backend through `with(_:)`.
struct TestApp: Sendable {
    static let today = Day(iso: "2026-11-24")!
    let store: SQLStore
    let service: ProgrammeService
    let accounts: AccountService
    let dataset: ProgrammeDataset

    static let demoDataset: ProgrammeDataset = {
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        return generator.generate()
    }()

    init(store: SQLStore, dataset: ProgrammeDataset, limits: AbuseLimitRules = AbuseLimitRules()) {
        self.store = store
        self.dataset = dataset
        let clock = WaymarkClock.fixed(TestApp.today)
        service = ProgrammeService(store: store, clock: clock)
        var settings = AccountService.Configuration()
        settings.limits = limits
        // The fixed clock keeps sessions from ever idling out mid-test.
        accounts = AccountService(store: store, clock: clock, configuration: settings)
    }

    /// The demo programme (or `dataset`) in a temporary SQLite file. The demo is loaded once per
    /// process and copied for each test.
    static func make(dataset: ProgrammeDataset? = nil, limits: AbuseLimitRules = AbuseLimitRules()) async throws -> TestApp {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-server-\(UUID().uuidString).sqlite").path
        guard let dataset else {
            try DatasetTemplates.copySQLite(try await DatasetTemplates.shared.template("demo", backend: .sqlite, dataset: demoDataset),
                                            to: path)
            return TestApp(store: try await SQLiteDatabase.openStore(path: path), dataset: demoDataset, limits: limits)
        }
        let store = try await SQLiteDatabase.openStore(path: path)
        try await store.load(dataset, progress: nil)
        return TestApp(store: store, dataset: dataset, limits: limits)
    }

    /// The demo programme on `backend`, dropped afterwards.
    static func with(_ backend: Backend, limits: AbuseLimitRules = AbuseLimitRules(),
                     _ body: (TestApp) async throws -> Void) async throws {
        try await Scratch.withStore(backend, dataset: demoDataset, template: "demo") { scratch in
            try await body(TestApp(store: scratch.store, dataset: demoDataset, limits: limits))
        }
    }

    /// Runs `body` with a client signed in as `role` (national programme office by default,
    /// which sees and may change everything).
    func test(as role: Role? = .nationalProgrammeOffice, at organisation: Organisation? = nil,
              _ body: @escaping @Sendable (SignedInClient) async throws -> Void) async throws {
        let credentials = try await role.asyncFlatMap { try await signIn($0, at: organisation) }
        try await test(credentials, body)
    }

    /// `.live` serves on a real socket (from 127.0.0.1 or ::1), for tests of proxy headers.
    func test(_ credentials: Credentials?, configuration: ServerConfiguration = ServerConfiguration(), setup: TestingSetup = .router,
              logger: Logger = Logger(label: "waymark"), _ body: @escaping @Sendable (SignedInClient) async throws -> Void) async throws {
        let app = try buildApplication(service: service, accounts: accounts, configuration: configuration, logger: logger)
        try await app.test(setup) { client in
            try await body(SignedInClient(client: client, credentials: credentials))
        }
    }

    struct Credentials: Sendable {
        var user: UserAccount
        var sessionSecret: String
        var token: String
    }

    /// A user with `role` at `organisation` (a natural home for the role by default), with a
    /// session and a read+write API token, made directly in the store: no bcrypt, no HTTP.
    func signIn(_ role: Role, at organisation: Organisation? = nil, tokenScopes: Set<TokenScope> = [.read, .write]) async throws -> Credentials {
        let home = try organisation ?? homeOrganisation(for: role)
        let user = try await store.addUser(
            UserAccount(username: "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())", displayName: "Test \(role.title)",
                        role: role, organisationID: home.id, passwordHash: "!unusable"),
            audit: AuditRecord(at: "2026-11-24T12:00:00Z", actor: "tests", origin: "tests", action: "add user",
                               entityType: "user", entityID: 0, before: nil, after: nil))
        let secret = Secrets.generate()
        try await store.createSession(SessionRecord(secretHash: Secrets.hash(secret), userID: user.id, createdAt: clockSeconds,
                                                    lastSeenAt: clockSeconds), replacing: nil,
                                      audit: AuditRecord(at: "2026-11-24T12:00:00Z", actor: user.username, origin: "tests",
                                                         action: "sign in", entityType: "user", entityID: user.id, before: nil, after: nil))
        let acting = try await accounts.actingUser(user, origin: "tests")
        let token = try await accounts.createToken(name: "tests", scopes: tokenScopes, days: 30, for: acting).secret
        return Credentials(user: user, sessionSecret: secret, token: token)
    }

    var clockSeconds: Int64 { Int64(service.clock.now().timeIntervalSince1970) }

    /// The demo trust, SHA, cluster and LSP that `DemoUsers` would use.
    func homeOrganisation(for role: Role) throws -> Organisation {
        let project = try #require(dataset.projects.first { $0.type == .lsp && $0.productCode == ProductCatalogue.crs && $0.supplierID != nil })
        let id: Int64? = switch role {
        case .trustProjectManager, .projectBoardMember, .clinicalSafetyOfficer, .registrationAuthorityManager,
             .raAgent, .raSponsor, .trainer, .trainingManager: project.ancestry.trustID
        case .shaProgrammeOffice: project.ancestry.shaID
        case .clusterProgrammeControls: project.ancestry.clusterID
        case .supplierImplementer: project.supplierID
        case .nationalProgrammeOffice, .auditor, .systemAdministrator: dataset.organisations.first { $0.kind == .national }?.id
        }
        return try #require(dataset.organisations.first { $0.id == id })
    }

    /// An open LSP project with nothing achieved yet, for milestone-form tests.
    func unstartedLSPProject() throws -> ImplementationProject {
        try #require(dataset.projects.first { $0.type == .lsp && $0.achievedCount == 0 && $0.milestones[0].baseline! > TestApp.today })
    }

    func espProject() throws -> ImplementationProject {
        try #require(dataset.projects.first { $0.type == .esp })
    }
}

/// A test client that sends the user's session cookie to pages and their bearer token to the API.
struct SignedInClient: Sendable {
    let client: any TestClientProtocol
    let credentials: TestApp.Credentials?

    @discardableResult
    func execute<Return>(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                         testCallback: @escaping (TestResponse) async throws -> Return = { $0 }) async throws -> Return {
        var headers = headers
        if let credentials {
            if uri.hasPrefix("/api/") {
                if headers[.authorization] == nil { headers[.authorization] = "Bearer \(credentials.token)" }
            } else {
                let session = "waymark_session=\(credentials.sessionSecret)"
                headers[.cookie] = headers[.cookie].map { "\($0); \(session)" } ?? session
            }
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body, testCallback: testCallback)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// Pulls the CSRF cookie and the form token out of a page response.
struct FormSession {
    var cookie: String
    var token: String
    var version: String

    init(_ response: TestResponse) throws {
        let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("waymark_csrf=") })
        cookie = String(setCookie.split(separator: ";")[0])
        let page = response.text
        token = try #require(Self.hiddenValue("csrf", in: page))
        version = Self.hiddenValue("version", in: page) ?? ""
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
        let all = [("csrf", token ?? self.token)] + (version.isEmpty ? [] : [("version", version)]) + fields
        return ByteBuffer(string: all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&"))
    }
}
