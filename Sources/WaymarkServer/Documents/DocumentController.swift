import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The document-control pages: a project's NSI products, one document with its versions,
/// uploads, templates, review and approval, and downloads.
struct DocumentController {
    let documents: DocumentService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/projects/:code/documents") { request, context in
            let code = try context.parameters.require("code")
            let notice = request.queryString.get("catalogue") == "applied" ? "The latest NSI product catalogue now applies to this project." : nil
            return try await documentsPage(code: code, context: context, notice: notice)
        }
        router.post("/projects/:code/documents") { request, context in
            let code = try context.parameters.require("code")
            let parts: [String: Multipart.Part]
            do {
                parts = try await multipart(request)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                // Too large to read at all: say so on the documents page; nothing was read or stored.
                let limit = documents.maximumBytes / (1024 * 1024)
                return try await documentsPage(code: code, context: context, error: "The upload was refused and nothing was stored: the file is over the \(limit) MiB limit. Make it smaller (for example by compressing its images or splitting it) and upload it again.", status: .contentTooLarge)
            }
            try csrf.verify(request, formToken: parts["csrf"]?.text)
            let user = try context.actingUser()
            let product = parts["product"]?.text ?? ""
            // 404 out of scope, then 403 without the permission, before the form is checked.
            try await authorise(.manageDocuments, projectCode: code, as: user)
            do {
                guard let file = parts["file"], let name = file.filename, !name.isEmpty else {
                    throw ValidationFailure([FieldError(field: "file", message: "Choose the file to upload.")])
                }
                let record = try await documents.upload(
                    projectCode: code, productCode: product, fileName: name, declaredMediaType: file.contentType, bytes: file.data,
                    changeSummary: parts["changeSummary"]?.text ?? "", expectedVersion: parts["version"].flatMap { Int($0.text) }, as: user)
                return Response(status: .seeOther, headers: [.location: DocumentHTML.document(record.document.id) + "?uploaded=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await uploadRefused(code: code, product: product, parts: parts, message: refusal.summary, context: context,
                                               status: refusal.status)
            }
        }
        router.post("/projects/:code/documents/from-template") { request, context in
            let code = try context.parameters.require("code")
            let fields = try await form(request)
            let user = try context.actingUser()
            try await authorise(.manageDocuments, projectCode: code, as: user)
            do {
                let record = try await documents.startFromTemplate(projectCode: code, productCode: fields["product"] ?? "", as: user)
                return Response(status: .seeOther, headers: [.location: DocumentHTML.document(record.document.id) + "?drafted=1"])
            } catch {
                // An unknown product, a product with no template, or a document changed meanwhile.
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await documentsPage(code: code, context: context, error: "No draft was started: \(refusal.summary)", status: refusal.status)
            }
        }
        router.post("/projects/:code/catalogue") { request, context in
            let code = try context.parameters.require("code")
            let fields = try await form(request)
            let user = try context.actingUser()
            try await authorise(.manageDocuments, projectCode: code, as: user)
            // The form names the version whose changes the page showed, so nobody applies a diff they did not see.
            guard let shown = fields["catalogue"].flatMap({ Int($0) }) else {
                return try await documentsPage(code: code, context: context, error: "The form did not say which catalogue version to apply. Reload the page, check the changes and try again.",
                                               status: .unprocessableContent)
            }
            do {
                _ = try await documents.applyLatestCatalogue(projectCode: code, checked: shown, as: user)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await documentsPage(code: code, context: context, error: refusal.summary, status: refusal.status)
            }
            return Response(status: .seeOther, headers: [.location: DocumentHTML.documents(code) + "?catalogue=applied"])
        }
        router.get("/documents/:id") { request, context in
            let params = request.queryString
            let notice = params.get("uploaded") == "1" ? "Version uploaded as a draft."
                : params.get("drafted") == "1" ? "Draft started from the template with this project's details. Download it, complete it and upload the finished version."
                : params.get("done").flatMap(Self.doneNotice)
            return try await documentPage(id: try Self.documentID(context), context: context, notice: notice)
        }
        router.get("/documents/:id/versions/:number") { _, context in
            let (version, bytes) = try await documents.content(documentID: try Self.documentID(context), number: try Self.number(context),
                                                               as: try context.actingUser())
            let view = try await documents.documentView(id: version.documentID, as: try context.actingUser())
            return HTMLResponse.page(DocumentVersionPage(view: view, version: version, content: bytes).render())
        }
        router.get("/documents/:id/versions/:number/download") { _, context in
            let (version, bytes) = try await documents.content(documentID: try Self.documentID(context), number: try Self.number(context),
                                                               as: try context.actingUser())
            return Self.attachment(version, bytes)
        }
        router.post("/documents/:id/versions/:number/actions") { request, context in
            let id = try Self.documentID(context)
            let number = try Self.number(context)
            let fields = try await form(request)
            let user = try context.actingUser()
            let action = fields["action"].flatMap(DocumentAction.init(rawValue:))
            // 404 out of scope, then 403 without the permission, before the form is checked.
            _ = try await documents.documentView(id: id, as: user)
            _ = try await documents.gate.authorise(action == .approve ? .approveDocuments : .manageDocuments, as: user)
            guard let action, let version = fields["version"].flatMap({ Int($0) }) else {
                return try await documentPage(id: id, context: context, error: "The form was not one Waymark sent: reload the document and try again.",
                                              status: .unprocessableContent)
            }
            do {
                _ = try await documents.act(documentID: id, number: number, action: action, expectedVersion: version,
                                            comment: fields["comment"], as: user)
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await documentPage(id: id, context: context, error: refusal.summary, status: refusal.status)
            }
            return Response(status: .seeOther, headers: [.location: DocumentHTML.document(id) + "?done=\(urlEncoded(action.rawValue))"])
        }
        router.post("/documents/:id/versions/:number/comments") { request, context in
            let id = try Self.documentID(context)
            let fields = try await form(request)
            do {
                _ = try await documents.comment(documentID: id, number: try Self.number(context), text: fields["comment"] ?? "",
                                                as: try context.actingUser())
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await documentPage(id: id, context: context, error: refusal.summary, status: refusal.status)
            }
            return Response(status: .seeOther, headers: [.location: DocumentHTML.document(id) + "?done=comment-added"])
        }
    }

    /// The notice after an action: only the actions Waymark has, never text from the address.
    static func doneNotice(_ done: String) -> String? {
        if done == "comment-added" { return "Review comment added." }
        return DocumentAction(rawValue: done).map { "Done: \($0.title.lowercased())." }
    }

    /// The gate's rule (404 out of scope, then 403), for refusals this controller finds before
    /// calling a service.
    func authorise(_ activity: Activity, projectCode: String, as user: ActingUser) async throws {
        _ = try await documents.gate.project(code: projectCode, for: activity, as: user)
    }

    /// Bodies of upload forms: the file cap plus room for the other fields.
    var uploadLimit: Int { documents.maximumBytes + 256 * 1024 }

    func multipart(_ request: Request) async throws -> [String: Multipart.Part] {
        try await Multipart.form(request, upTo: uploadLimit)
    }

    func form(_ request: Request) async throws -> [String: String] {
        let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
        try csrf.verify(request, formToken: fields["csrf"])
        return fields
    }

    static func documentID(_ context: WaymarkRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = ProjectDocument.id(fromReference: text) else { throw ServiceError(.notFound, "No document has the reference '\(text)'.") }
        return id
    }

    static func number(_ context: WaymarkRequestContext) throws -> Int {
        let text = try context.parameters.require("number")
        guard let number = Int(text), number > 0 else { throw ServiceError(.notFound, "There is no version '\(text)'.") }
        return number
    }

    /// Always a download, never rendered by the browser: attachment, the allow-listed type and
    /// nosniff (set for every response), with the stored name reduced to safe characters.
    static func attachment(_ version: DocumentVersion, _ bytes: [UInt8]) -> Response {
        let safe = String(version.fileName.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        return Response(status: .ok, headers: [
            .contentType: version.fileType.mediaType, .contentDisposition: "attachment; filename=\"\(safe)\"", .cacheControl: "private, no-store",
            HTTPField.Name("X-Content-SHA256")!: version.contentHash,
        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func documentsPage(code: String, context: WaymarkRequestContext, notice: String? = nil, error: String? = nil,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await documents.projectDocuments(projectCode: code, as: try context.actingUser())
        return HTMLResponse.page(ProjectDocumentsPage(view: view, csrfToken: context.csrfToken, notice: notice, error: error,
                                                      maximumBytes: documents.maximumBytes).render(), status: status)
    }

    func documentPage(id: Int64, context: WaymarkRequestContext, notice: String? = nil, error: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = try await documents.documentView(id: id, as: try context.actingUser())
        return HTMLResponse.page(DocumentPage(view: view, user: try context.actingUser(), csrfToken: context.csrfToken, notice: notice, error: error,
                                              maximumBytes: documents.maximumBytes).render(), status: status)
    }

    /// A refused upload shows its reason on the page it came from; nothing was stored.
    func uploadRefused(code: String, product: String, parts: [String: Multipart.Part], message: String, context: WaymarkRequestContext,
                       status: HTTPResponse.Status = .unprocessableContent) async throws -> Response {
        let message = "The upload was refused and nothing was stored: \(message)"
        if let id = parts["document"].flatMap({ Int64($0.text) }) {
            return try await documentPage(id: id, context: context, error: message, status: status)
        }
        return try await documentsPage(code: code, context: context, error: message, status: status)
    }
}
