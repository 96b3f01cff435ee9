import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The data-quality pages (issue 14): a project's checks and migration loads, an extract upload
/// read as a stream (never collected, never stored), and a load form.
struct DataQualityController {
    let dataQuality: DataQualityService
    let csrf: CSRF
    var maximumBytes = DataQualityService.maximumBytes

    /// An extract upload, on the page or the API: streamed, so the body middlewares leave it alone.
    static func isExtractUpload(_ request: Request) -> Bool {
        request.method == .post && (request.uri.path.hasSuffix("/data-quality-checks") || request.uri.path.hasSuffix("/data-quality"))
    }

    static func tooLarge(_ limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, message: "Extracts are limited to \(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes"); split the file.")
    }

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/data-quality") { request, context in
            try await page(try context.parameters.require("code"), context,
                           notice: request.queryString.get("checked").map { _ in "Checked. Only the counts were kept; the file was not." }
                               ?? request.queryString.get("loaded").map { _ in "Load recorded." })
        }
        router.post("/projects/:code/data-quality") { request, context in
            let code = try context.parameters.require("code")
            do {
                _ = try await check(code, request, context)
                return Response(status: .seeOther, headers: [.location: "/projects/\(urlEncoded(code))/data-quality?checked=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(code, context, form: FormState(failedForm: "check", errors: refusal.errors(orOn: "file")), status: refusal.status)
            }
        }
        router.post("/projects/:code/migration-loads") { request, context in
            let code = try context.parameters.require("code")
            var fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            fields["csrf"] = nil
            do {
                _ = try await dataQuality.recordLoad(projectCode: code, NewMigrationLoad(form: fields), as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "/projects/\(urlEncoded(code))/data-quality?loaded=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(code, context, form: FormState(failedForm: "load", entered: fields, errors: refusal.errors(orOn: "name")),
                                      status: refusal.status)
            }
        }
    }

    /// Streams the multipart body: the CSRF field comes first, then the file, whose bytes go
    /// straight into the reader.
    func check(_ code: String, _ request: Request, _ context: WaymarkRequestContext) async throws -> DataQualityCheck {
        // A declared length over the limit is refused before a byte is read; the stream is
        // also counted as it arrives, for senders that declare none.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBytes { throw Self.tooLarge(maximumBytes) }
        var stream = try MultipartStream(contentType: request.headers[.contentType])
        var fields: [String: String] = [:]
        var sawFile = false
        return try await dataQuality.check(projectCode: code, as: try context.actingUser()) { reader in
            var total = 0
            for try await chunk in request.body {
                total += chunk.readableBytes
                guard total <= maximumBytes else { throw Self.tooLarge(maximumBytes) }
                try await stream.feed(chunk.readableBytesView) { event in
                    switch event {
                    case .field(let name, let value): fields[name] = value
                    case .fileStarts:
                        try csrf.verify(request, formToken: fields["csrf"])
                        sawFile = true
                    case .file(let bytes): try bytes.withUnsafeBytes { try reader.read($0) }
                    }
                }
            }
            guard sawFile, stream.finished else {
                throw ValidationFailure([FieldError(field: "file", message: "Choose the extract to check: a CSV file, or a list of NHS Numbers.")])
            }
        }
    }

    func page(_ code: String, _ context: WaymarkRequestContext, notice: String? = nil, form: FormState = FormState(),
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let history = try await dataQuality.history(projectCode: code, as: user)
        return HTMLResponse.page(DataQualityPage(history: history, csrfToken: context.csrfToken, canRecord: user.permits(.recordReadiness),
                                                 today: dataQuality.gate.clock.today, form: form, notice: notice).render(), status: status)
    }
}
