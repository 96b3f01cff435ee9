import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The risk and issue register pages: an organisation's or a project's register, a record,
/// the heat map, overdue reviews and actions, and CSV out and in.
struct TrackingController {
    let service: TrackingService
    let csrf: CSRF
    /// A register file of 10,000 records is about 5 MB; anything bigger is refused before parsing.
    static let maximumImportBytes = 8 * 1024 * 1024

    func register(on router: Router<WaymarkRequestContext>) {
        for (prefix, make) in [("/organisations/:code", TrackingService.RegisterReference.organisation),
                               ("/projects/:code", TrackingService.RegisterReference.project)] {
            router.get("\(prefix)/register") { request, context in
                try await registerPage(make(try context.parameters.require("code")), request: request, context: context)
            }
            router.post("\(prefix)/register") { request, context in
                try await raise(make(try context.parameters.require("code")), request: request, context: context)
            }
            router.get("\(prefix)/register.csv") { request, context in
                let reference = make(try context.parameters.require("code"))
                let text = try await service.exportCSV(reference, below: request.queryString.get("below") == "1",
                                                       as: try context.actingUser())
                return Response(status: .ok, headers: [
                    .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"\(Self.fileName(reference))-register.csv\""],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
            router.post("\(prefix)/register/import") { request, context in
                try await importFile(make(try context.parameters.require("code")), request: request, context: context)
            }
        }
        router.get("/organisations/:code/register/heatmap") { request, context in
            let kind = request.queryString.get("kind").flatMap { TrackingKind(rawValue: String($0)) } ?? .risk
            let view = try await service.heatMap(organisationCode: try context.parameters.require("code"), kind: kind, as: try context.actingUser())
            return HTMLResponse.page(HeatMapPage(view: view).render())
        }
        router.get("/tracking/:id") { request, context in
            try await itemPage(id: try itemID(context), context: context,
                               notice: request.queryString.get("saved").map { _ in "Saved." })
        }
        router.post("/tracking/:id") { request, context in
            let id = try itemID(context)
            let fields = try await form(request)
            return try await change(id: id, fields: fields, context: context) {
                _ = try await service.update(id: id, RegisterEntry(form: fields.values), as: try context.actingUser())
                return id
            }
        }
        router.post("/tracking/:id/escalate") { request, context in
            let id = try itemID(context)
            let fields = try await form(request)
            return try await change(id: id, fields: fields, context: context) {
                try await service.escalate(id: id, reason: fields["reason"] ?? "", expectedVersion: fields["version"].flatMap { Int($0) },
                                           as: try context.actingUser()).original.id
            }
        }
        router.post("/tracking/:id/de-escalate") { request, context in
            let id = try itemID(context)
            let fields = try await form(request)
            return try await change(id: id, fields: fields, context: context) {
                try await service.deEscalate(id: id, reason: fields["reason"] ?? "", expectedVersion: fields["version"].flatMap { Int($0) },
                                             as: try context.actingUser()).copy.id
            }
        }
        router.post("/tracking/:id/convert") { request, context in
            let id = try itemID(context)
            let fields = try await form(request)
            return try await change(id: id, fields: fields, context: context) {
                try await service.convertToIssue(id: id, occurredOn: fields["occurredOn"] ?? "", expectedVersion: fields["version"].flatMap { Int($0) },
                                                        as: try context.actingUser()).issue.id
            }
        }
    }

    static func fileName(_ reference: TrackingService.RegisterReference) -> String {
        let code = switch reference { case .organisation(let c), .project(let c): c }
        return code.filter { $0.isLetter || $0.isNumber || $0 == "-" }
    }

    func itemID(_ context: WaymarkRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw ServiceError(.notFound, "No risk or issue has that number.")
        }
        return id
    }

    /// A form body with its CSRF token checked and removed.
    func form(_ request: Request) async throws -> FormFields {
        var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        fields["csrf"] = nil
        return FormFields(values: fields)
    }

    /// Runs a change to a record; on success redirects to the record it names, otherwise shows
    /// the record again with the problem, at the status `ErrorTable` gives it.
    func change(id: Int64, fields: FormFields, context: WaymarkRequestContext,
                _ body: () async throws -> Int64) async throws -> Response {
        try await service.checkEditable(id: id, as: try context.actingUser())
        do {
            let target = try await body()
            return Response(status: .seeOther, headers: [.location: "/tracking/\(target)?saved=1"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await itemPage(id: id, context: context, entered: fields.values, errors: refusal.formErrors, status: refusal.status)
        }
    }

    func itemPage(id: Int64, context: WaymarkRequestContext, notice: String? = nil, entered: [String: String] = [:],
                  errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await service.itemView(id: id, as: try context.actingUser())
        return HTMLResponse.page(TrackingItemPage(view: view, csrfToken: context.csrfToken, notice: notice, entered: entered,
                                                  errors: errors).render(), status: status)
    }

    func raise(_ reference: TrackingService.RegisterReference, request: Request, context: WaymarkRequestContext) async throws -> Response {
        let fields = try await form(request)
        // Check scope and permission before reading the form's content.
        _ = try await service.register(reference, for: .recordRisks, as: try context.actingUser())
        do {
            let item = try await service.raise(in: reference, RegisterEntry(form: fields.values), as: try context.actingUser())
            return Response(status: .seeOther, headers: [.location: "/tracking/\(item.id)?saved=1"])
        } catch {
            guard let refusal = ErrorTable.correctable(error) else { throw error }
            return try await registerPage(reference, request: request, context: context, entered: fields.values,
                                          errors: refusal.formErrors, status: refusal.status)
        }
    }

    func importFile(_ reference: TrackingService.RegisterReference, request: Request, context: WaymarkRequestContext) async throws -> Response {
        let parts = try await Multipart.form(request, upTo: Self.maximumImportBytes)
        try csrf.verify(request, formToken: parts["csrf"]?.text)
        _ = try await service.register(reference, for: .recordRisks, as: try context.actingUser())
        guard let file = parts["file"], !file.data.isEmpty else {
            return try await registerPage(reference, request: request, context: context,
                                          importProblems: [.init(line: 0, message: "Choose a CSV file to import.")], status: .unprocessableContent)
        }
        do {
            let outcome = try await service.importCSV(Data(file.data), into: reference, as: try context.actingUser())
            return try await registerPage(reference, request: request, context: context,
                                          notice: "Imported \(file.filename ?? "the file"): \(outcome.added) added, \(outcome.updated) updated, \(outcome.unchanged) unchanged.")
        } catch let rejected as TrackingService.ImportRejected {
            return try await registerPage(reference, request: request, context: context, importProblems: rejected.problems,
                                          status: .unprocessableContent)
        }
    }

    func registerPage(_ reference: TrackingService.RegisterReference, request: Request, context: WaymarkRequestContext,
                      notice: String? = nil, entered: [String: String] = [:], errors: [FieldError] = [],
                      importProblems: [TrackingService.ImportProblem] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let register = try await service.register(reference, for: .viewRecords, as: user)
        let filter = try RegisterFilter(request.queryString)
        let page = try await service.items(in: register, filter: filter.query, below: filter.below, as: user)
        return HTMLResponse.page(RegisterPage(register: register, filter: filter, page: page, canEdit: user.permits(.recordRisks),
                                              csrfToken: context.csrfToken, today: service.gate.clock.today, notice: notice,
                                              entered: entered, errors: errors, importProblems: importProblems).render(), status: status)
    }
}

/// Form values with the CSRF token removed.
struct FormFields {
    var values: [String: String]
    subscript(name: String) -> String? { values[name] }
    mutating func removeValue(forKey name: String) -> String? { values.removeValue(forKey: name) }
}

/// A register list's filters, from the query string (shared by the page and its links).
struct RegisterFilter {
    var kind: TrackingKind?
    var status: TrackingStatus?
    var priority: RiskPriority?
    var controllability: Controllability?
    var flagged = false
    var overdue = false
    var below = false
    var after: Int64?

    init(_ params: QueryString) throws {
        for (key, raw) in params.pairs {
            let value = raw.trimmingCharacters(in: .whitespaces)
            if value.isEmpty { continue }
            var valid = true
            switch key {
            case "kind": kind = TrackingKind(rawValue: value); valid = kind != nil
            case "status": status = TrackingStatus(rawValue: value); valid = status != nil
            case "priority": priority = Int(value).flatMap(RiskPriority.init(rawValue:)); valid = priority != nil
            case "controllability": controllability = Controllability(rawValue: value.uppercased()); valid = controllability != nil
            case "flagged": flagged = value == "1"
            case "overdue": overdue = value == "1"
            case "below": below = value == "1"
            case "after": after = Int64(value); valid = after != nil
            default: break
            }
            guard valid else {
                throw ServiceError(.badRequest, "The register filter '\(key)' cannot be '\(value)': kind is risk or issue, priority 1 to 5, controllability A to D.")
            }
        }
    }

    var query: TrackingQuery {
        TrackingQuery(kind: kind, status: status, priority: priority, controllability: controllability, flaggedOnly: flagged,
                      overdueToday: overdue, after: after, limit: 50)
    }

    /// The query string for these filters, with `after` left out unless given.
    func queryString(after: Int64? = nil) -> String {
        var parts: [String] = []
        if let kind { parts.append("kind=\(kind.rawValue)") }
        if let status { parts.append("status=\(status.rawValue)") }
        if let priority { parts.append("priority=\(priority.rawValue)") }
        if let controllability { parts.append("controllability=\(controllability.rawValue)") }
        if flagged { parts.append("flagged=1") }
        if overdue { parts.append("overdue=1") }
        if below { parts.append("below=1") }
        if let after { parts.append("after=\(after)") }
        return parts.joined(separator: "&")
    }
}
