import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Permission matrix")
struct PermissionMatrixTests {
    @Test("every registered route has a matrix entry, and every entry is a registered route")
    func everyRouteIsCovered() async throws {
        let app = try await TestApp.make()
        let router = try buildRouter(service: app.service, accounts: app.accounts, configuration: .init())
        let registered = Set(router.routes.map { "\($0.method) \($0.path)" })
        #expect(registered.subtracting(PermissionMatrix.routes.keys).isEmpty, "routes with no matrix entry")
        #expect(Set(PermissionMatrix.routes.keys).subtracting(registered).isEmpty, "matrix entries for routes that do not exist")
    }

    @Test("every route × role × organisation position answers as the matrix says", arguments: Backend.testable)
    func matrix(backend: Backend) async throws {
        // Each role makes more calls a minute than the per-token limit allows; limits have their own tests.
        try await TestApp.with(backend, limits: .unlimited) { app in
            // Documents and hazards for the document routes to reach (PermissionMatrix+Documents.swift).
            try await PermissionMatrix.seedDocumentRecords(app.store.database)
            try await PermissionMatrix.seedUserRecords(app.store, dataset: app.dataset)
            let targets = Targets(app.dataset)
            // Roles run side by side: each has its own user and client, and every write in the
            // matrix changes nothing, so they cannot disturb one another.
            let checked = try await withThrowingTaskGroup(of: Void.self) { group in
                for role in Role.allCases {
                    group.addTask {
                        let credentials = try await app.signIn(role)
                        let home = try app.homeOrganisation(for: role)
                        try await app.test(credentials) { client in
                            for (route, rule) in PermissionMatrix.routes.sorted(by: { $0.key < $1.key }) {
                                for position in PermissionMatrix.Position.allCases {
                                    guard let sees = PermissionMatrix.sees(role, position) else { continue }
                                    let target = try #require(targets.target(position, from: home), "\(role) \(position)")
                                    try await Self.check(route, rule, role: role, position: position, sees: sees, target: target,
                                                         dataset: app.dataset, client: client)
                                }
                            }
                        }
                    }
                }
                var done = 0
                for try await _ in group { done += 1 }
                return done
            }
            #expect(checked == Role.allCases.count)
            // Every write in the matrix changes nothing, allowed or not: no project moved on.
            for project in app.dataset.projects.prefix(300) {
                #expect(try await app.store.project(code: project.code, scope: .national)?.project.version == project.version)
            }
        }
    }

    @Test("signed-out requests are sent to sign in (pages) or refused with 401 (API)", arguments: Backend.testable)
    func signedOut(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let project = app.dataset.projects[0]
            let organisation = app.dataset.organisations.first { $0.kind == .trust }!
            try await app.test(nil) { client in
                for (route, rule) in PermissionMatrix.routes {
                    let parts = route.split(separator: " ", maxSplits: 1)
                    let method = HTTPRequest.Method(String(parts[0]))!
                    let path = String(parts[1]).replacingOccurrences(of: "{code}", with: Self.isOrganisationRoute(rule) ? organisation.code : project.code)
                        .replacingOccurrences(of: "{milestone}", with: "go-live-completed").replacingOccurrences(of: "{id}", with: "1")
                        .replacingOccurrences(of: "{username}", with: "someone").replacingOccurrences(of: "{secret}", with: "unknown")
                    let response = try await client.execute(uri: path, method: method, body: ByteBuffer(string: "{}"))
                    if case .open = rule {
                        #expect(response.status != .unauthorized && response.headers[.location]?.hasPrefix("/sign-in") != true, "\(route)")
                    } else if path.hasPrefix("/api/") {
                        #expect(response.status == .unauthorized, "\(route)")
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(route)")
                    } else {
                        #expect(response.status == .seeOther, "\(route)")
                        #expect(response.headers[.location]?.hasPrefix("/sign-in") == true, "\(route)")
                    }
                }
            }
        }
    }

    static func isOrganisationRoute(_ rule: PermissionMatrix.Rule) -> Bool {
        switch rule {
        case .organisation, .custom(_, .organisation, _): true
        default: false
        }
    }

    static func check(_ route: String, _ rule: PermissionMatrix.Rule, role: Role, position: PermissionMatrix.Position, sees: Bool,
                      target: Targets.Target, dataset: ProgrammeDataset, client: SignedInClient) async throws {
        let parts = route.split(separator: " ", maxSplits: 1)
        let method = HTTPRequest.Method(String(parts[0]))!
        let template = String(parts[1])
        let cell = "\(route) as \(role.rawValue) on \(position.rawValue)"
        switch rule {
        case .open:
            guard position == .own, method == .get else { return }
            // A reset link is its own credential: an unknown one is not found, for everyone.
            let reset = template == "/reset/{secret}"
            let response = try await client.execute(uri: reset ? "/reset/unknown" : template, method: .get)
            #expect(response.status == (reset ? .notFound : .ok) || (template == "/sign-in" && response.status == .seeOther), "\(cell)")
        case .signedIn:
            guard position == .own, method == .get else { return }
            #expect(try await client.execute(uri: template, method: .get).status == .ok, "\(cell)")
        case .national(let activity, let build):
            guard position == .own else { return }
            let (request, success) = build()
            let response = try await client.execute(uri: request.uri, method: request.method, headers: request.headers,
                                                    body: ByteBuffer(string: request.body))
            let allowed = PermissionMatrix.permits(role, activity) && role.homeKinds.contains(.national)
            #expect(response.status == (allowed ? success : .forbidden), "\(cell): \(response.text.prefix(200))")
        case .programmeWide(let activity, let build):
            guard position == .own else { return }
            let (request, success) = build()
            let response = try await client.execute(uri: request.uri, method: request.method, headers: request.headers,
                                                    body: ByteBuffer(string: request.body))
            #expect(response.status == (PermissionMatrix.permits(role, activity) ? success : .forbidden), "\(cell): \(response.text.prefix(200))")
        case .audit:
            guard position == .own else { return }
            let allowed = PermissionMatrix.permits(role, .viewAudit)
            #expect(try await client.execute(uri: template, method: .get).status == (allowed ? .ok : .forbidden), "\(cell)")
        case .organisation(let activity):
            let response = try await client.execute(uri: template.replacingOccurrences(of: "{code}", with: target.organisation.code), method: method)
            #expect(response.status == expected(sees: sees, permitted: PermissionMatrix.permits(role, activity), success: .ok), "\(cell)")
        case .project(let activity):
            let project = target.project
            let uri = template.replacingOccurrences(of: "{code}", with: project.code)
                .replacingOccurrences(of: "{milestone}", with: project.milestones.last!.kind.rawValue)
            let success: HTTPResponse.Status = method == .post ? .seeOther : .ok
            let response: TestResponse
            switch method {
            case .post:
                // A save that changes nothing: allowed, it redirects; refused, it never gets that far.
                let token = String(repeating: "t", count: 43)
                response = try await client.execute(uri: uri, method: .post, headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: "waymark_csrf=\(token)"],
                    body: ByteBuffer(string: "csrf=\(token)&version=\(project.version)"))
            case .patch:
                response = try await client.execute(uri: uri, method: .patch, headers: [
                    .contentType: "application/json", HTTPField.Name("If-Match")!: "\"\(project.version)\""], body: ByteBuffer(string: "{}"))
            default:
                response = try await client.execute(uri: uri, method: method)
            }
            #expect(response.status == expected(sees: sees, permitted: PermissionMatrix.permits(role, activity), success: success),
                    "\(cell): \(response.text.prefix(200))")
        case .planForm(let activity):
            let uri = template.replacingOccurrences(of: "{code}", with: target.project.code)
            let token = String(repeating: "p", count: 43)
            var headers: HTTPFields = [.cookie: "waymark_csrf=\(token)"]
            let body: String
            if uri.hasSuffix("/baselines") {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = "csrf=\(token)&name="
            } else {
                headers[.contentType] = "multipart/form-data; boundary=XYZ"
                body = "--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n--XYZ--\r\n"
            }
            let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == expected(sees: sees, permitted: PermissionMatrix.permits(role, activity), success: .unprocessableContent),
                    "\(cell): \(response.text.prefix(200))")
        case .calendarForm(let activity):
            let token = String(repeating: "c", count: 43)
            let response = try await client.execute(
                uri: template.replacingOccurrences(of: "{code}", with: target.organisation.code), method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "waymark_csrf=\(token)"],
                body: ByteBuffer(string: "csrf=\(token)&day=&note=matrix"))
            // Suppliers' own pages hold no calendar: the form is refused there as not permitted.
            let permitted = PermissionMatrix.permits(role, activity)
            #expect(response.status == expected(sees: sees, permitted: permitted, success: .unprocessableContent),
                    "\(cell): \(response.text.prefix(200))")
        case .apiPlan(let activity):
            // Projects in the matrix have no plan: a read gets 404 (like out of scope), so
            // only the writes tell scope from permission here; the read is checked for 403/404.
            let uri = template.replacingOccurrences(of: "{code}", with: target.project.code)
            let exporting = uri.hasSuffix("/export")
            let response: TestResponse
            switch method {
            case .get where exporting:
                // Exporting a project with no plan gives an empty file.
                response = try await client.execute(uri: uri + "?format=csv", method: .get)
            case .put:
                response = try await client.execute(uri: uri + "?format=csv", method: .put,
                                                    headers: [.contentType: "application/octet-stream"], body: ByteBuffer(string: "not,a,plan"))
            case .post:
                response = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: #"{"name": "matrix"}"#))
            default:
                response = try await client.execute(uri: uri, method: method)
            }
            let permitted = PermissionMatrix.permits(role, activity)
            let expectedStatus: HTTPResponse.Status = !sees ? .notFound : !permitted ? .forbidden
                : exporting ? .ok : method == .get ? .notFound : .unprocessableContent
            #expect(response.status == expectedStatus, "\(cell): \(response.text.prefix(200))")
        case .custom(let activity, _, let build):
            let (request, success) = build(target, dataset)
            let response = try await client.execute(uri: request.uri, method: request.method, headers: request.headers,
                                                    body: ByteBuffer(string: request.body))
            #expect(response.status == expected(sees: sees, permitted: PermissionMatrix.permits(role, activity), success: success),
                    "\(cell): \(response.text.prefix(200))")
        case .shared(let activity, let build):
            let (request, success, listed) = build(target, dataset)
            let response = try await client.execute(uri: request.uri, method: request.method, headers: request.headers,
                                                    body: ByteBuffer(string: request.body))
            let reaches = PermissionMatrix.reaches(role, sees: sees)
            let permitted = PermissionMatrix.permits(role, activity)
            if let listed {
                #expect(response.status == (permitted ? success : .forbidden), "\(cell): \(response.text.prefix(200))")
                #expect(!permitted || response.text.contains(listed) == reaches, "\(cell): listed \(!reaches)")
            } else {
                #expect(response.status == expected(sees: reaches, permitted: permitted, success: success), "\(cell): \(response.text.prefix(200))")
            }
        case .list(let activity):
            let organisations = template == "/api/v1/organisations"
            let text = organisations ? target.organisation.code : target.project.code
            let response = try await client.execute(uri: "\(template)?q=\(text)", method: .get)
            guard PermissionMatrix.permits(role, activity) else {
                #expect(response.status == .forbidden, "\(cell)")
                return
            }
            #expect(response.status == .ok, "\(cell)")
            let body = response.text
            let listed = template.hasPrefix("/api/") ? body.contains("\"code\":\"\(text)\"")
                : template.hasSuffix(".csv") ? body.contains("\n\(text),") : body.contains("/projects/\(text)\"")
            #expect(listed == sees, "\(cell): listed \(listed)")
        }
    }

    static func expected(sees: Bool, permitted: Bool, success: HTTPResponse.Status) -> HTTPResponse.Status {
        sees ? (permitted ? success : .forbidden) : .notFound
    }
}

/// The organisation and project at each position relative to an actor's home, from the dataset.
struct Targets: Sendable {
    struct Target: Sendable {
        var organisation: Organisation
        var project: ImplementationProject
    }

    let dataset: ProgrammeDataset
    init(_ dataset: ProgrammeDataset) { self.dataset = dataset }

    func inside(_ organisation: Organisation) -> (ImplementationProject) -> Bool {
        switch organisation.kind {
        case .national: { _ in true }
        case .supplier: { $0.supplierID == organisation.id }
        default: { $0.ancestry.id(at: organisation.kind) == organisation.id || $0.organisationID == organisation.id }
        }
    }

    func withProject(_ organisation: Organisation, excluding home: Organisation? = nil) -> Target? {
        let excluded = home.map(inside)
        // N3 is BT's everywhere; the positions are about the cluster's LSP.
        return dataset.projects.first { inside(organisation)($0) && !(excluded?($0) ?? false) && $0.productCode != ProductCatalogue.n3 }
            .map { Target(organisation: organisation, project: $0) }
    }

    func target(_ position: PermissionMatrix.Position, from home: Organisation) -> Target? {
        let organisations = dataset.organisations
        let nonSupplier = organisations.filter { $0.kind != .supplier }
        if home.kind == .supplier {
            let theirs = inside(home)
            switch position {
            case .own: return withProject(home)
            case .sibling: return organisations.lazy.filter { $0.kind == .supplier && $0.id != home.id }.compactMap { withProject($0) }.first
            case .supplierContracted:
                return dataset.projects.first(where: theirs).flatMap { p in
                    organisations.first { $0.id == p.organisationID }.map { Target(organisation: $0, project: p) }
                }
            case .supplierNotContracted:
                let held = Set(dataset.projects.filter(theirs).flatMap { [$0.organisationID] + $0.ancestry.ids })
                return nonSupplier.lazy.filter { $0.kind == .site && !held.contains($0.id) }.compactMap { withProject($0) }.first
            default: return nil
            }
        }
        switch position {
        case .own: return withProject(home)
        case .child: return nonSupplier.lazy.filter { $0.parentID == home.id }.compactMap { withProject($0) }.first
        case .parent: return nonSupplier.first { $0.id == home.parentID }.flatMap { withProject($0, excluding: home) }
        case .sibling:
            return nonSupplier.lazy.filter { $0.parentID == home.parentID && $0.kind == home.kind && $0.id != home.id }
                .compactMap { withProject($0) }.first
        case .otherCluster:
            return nonSupplier.lazy.filter { $0.kind == home.kind && $0.ancestry.clusterID != home.ancestry.clusterID }
                .compactMap { withProject($0) }.first
        case .supplierContracted:
            return dataset.projects.first { inside(home)($0) && $0.supplierID != nil && $0.productCode != ProductCatalogue.n3 }.flatMap { p in
                organisations.first { $0.id == p.supplierID }.map { Target(organisation: $0, project: p) }
            }
        case .supplierNotContracted:
            let contracted = Set(dataset.projects.filter(inside(home)).compactMap(\.supplierID))
            return organisations.lazy.filter { $0.kind == .supplier && !contracted.contains($0.id) }.compactMap { withProject($0) }.first
        }
    }
}
