import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The document-control operations (issue 5): a project's NSI products, uploads and template
/// drafts, one document with its versions, downloads, review actions and comments, and
/// applying the latest catalogue. Scope (404) and permission (403) come before If-Match
/// (428, 412), so a refusal never depends on the headers sent.
extension APIHandler {
    var documents: DocumentService { DocumentService(programme: service) }

    /// The largest upload body `APIHeadersMiddleware` lets through: a little over the file cap,
    /// so a file just over it gets the upload check's 422 (which names the limit), not 413.
    static var maximumDocumentBodyBytes: Int { DocumentUpload.defaultMaximumBytes + 256 * 1024 }

    func listProjectDocuments(_ input: Operations.listProjectDocuments.Input) async throws -> Operations.listProjectDocuments.Output {
        .ok(.init(body: .json(DocumentMapping.projectDocuments(try await documents.projectDocuments(projectCode: input.path.code, as: user)))))
    }

    func uploadDocumentVersion(_ input: Operations.uploadDocumentVersion.Input) async throws -> Operations.uploadDocumentVersion.Output {
        // The case says which Content-Type matched; the upload check holds the bytes to it.
        let (mediaType, body): (String, HTTPBody) = switch input.body {
        case .binary(let b): ("application/octet-stream", b)
        case .pdf(let b): ("application/pdf", b)
        case .application_vnd_period_openxmlformats_hyphen_officedocument_period_wordprocessingml_period_document(let b): (DocumentFileType.docx.mediaType, b)
        case .application_vnd_period_openxmlformats_hyphen_officedocument_period_spreadsheetml_period_sheet(let b): (DocumentFileType.xlsx.mediaType, b)
        case .application_vnd_period_oasis_period_opendocument_period_text(let b): (DocumentFileType.odt.mediaType, b)
        case .text_markdown(let b): ("text/markdown", b)
        }
        let expected = try await documentPrecondition(input.path.code, input.path.product, ifMatch: input.headers.If_hyphen_Match)
        let bytes = try await [UInt8](collecting: body, upTo: Self.maximumDocumentBodyBytes)
        let record = try await documents.upload(
            projectCode: input.path.code, productCode: input.path.product, fileName: input.query.fileName, declaredMediaType: mediaType,
            bytes: bytes, changeSummary: input.query.changeSummary, expectedVersion: expected, as: user)
        let (etag, document) = try await documentBody(record.document.id, showing: record)
        return expected == nil ? .created(.init(headers: .init(ETag: etag), body: .json(document)))
            : .ok(.init(headers: .init(ETag: etag), body: .json(document)))
    }

    func startDocumentFromTemplate(_ input: Operations.startDocumentFromTemplate.Input) async throws -> Operations.startDocumentFromTemplate.Output {
        let expected = try await documentPrecondition(input.path.code, input.path.product, ifMatch: input.headers.If_hyphen_Match)
        // The service drafts over the document as it finds it; the check above is what
        // stops a client overwriting a version it has not seen.
        let record = try await documents.startFromTemplate(projectCode: input.path.code, productCode: input.path.product, as: user)
        let (etag, document) = try await documentBody(record.document.id, showing: record)
        return expected == nil ? .created(.init(headers: .init(ETag: etag), body: .json(document)))
            : .ok(.init(headers: .init(ETag: etag), body: .json(document)))
    }

    /// Scope (404) and `.manageDocuments` (403) on the project, then the If-Match a write to
    /// the product's document needs: required once the document exists (428), and it must be
    /// the document's current ETag (412; also when there is no document to match).
    func documentPrecondition(_ code: String, _ product: String, ifMatch: String?) async throws -> Int? {
        let view = try await documents.projectDocuments(projectCode: code, as: user)
        _ = try await service.gate.authorise(.manageDocuments, as: user)
        // The product is part of the address: one the project's catalogue lacks is not found.
        guard view.products.contains(where: { $0.product.code == product.uppercased() }) else {
            throw ServiceError(.notFound, "\(code) has no NSI product '\(product)' in its catalogue version; GET /api/v1/projects/\(code)/documents lists them.")
        }
        let existing = (view.products.compactMap(\.document) + view.others).first { $0.productCode == product.uppercased() }
        guard let existing else {
            guard ifMatch == nil else {
                throw ServiceError.stale("\(code) has no \(product) document to match If-Match; leave If-Match out to create it.")
            }
            return nil
        }
        let version = try Self.ifMatch(ifMatch, of: "\(existing.reference) (from GET /api/v1/documents/\(existing.id))")
        guard existing.version == version else {
            throw ServiceError.stale("\(existing.reference) is at version \(existing.version), not \(version). Get it again.")
        }
        return version
    }

    func applyLatestCatalogue(_ input: Operations.applyLatestCatalogue.Input) async throws -> Operations.applyLatestCatalogue.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"version\": N} as JSON.") }
        // The client names the version whose diff it checked, as the documents page's form does.
        let diff = try await documents.applyLatestCatalogue(projectCode: input.path.code, checked: body.version, as: user)
        return .ok(.init(body: .json(DocumentMapping.diff(diff))))
    }

    func getDocument(_ input: Operations.getDocument.Input) async throws -> Operations.getDocument.Output {
        let (etag, document) = try await documentBody(input.path.id)
        return .ok(.init(headers: .init(ETag: etag), body: .json(document)))
    }

    /// The document as the caller sees it now, with its ETag.
    func documentBody(_ id: Int64, showing saved: DocumentRecord? = nil) async throws -> (String, Components.Schemas.Document) {
        let view = try await documents.documentView(id: id, showing: saved, as: user)
        return (Self.etag(view.document.version), DocumentMapping.document(view))
    }

    func downloadDocumentVersion(_ input: Operations.downloadDocumentVersion.Input) async throws -> Operations.downloadDocumentVersion.Output {
        let (version, bytes) = try await documents.content(documentID: input.path.id, number: input.path.number, as: user)
        let body = HTTPBody(bytes)
        // Always an attachment of the allow-listed type; nosniff is on every response.
        let safeName = String(version.fileName.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        let headers = Operations.downloadDocumentVersion.Output.Ok.Headers(
            Content_hyphen_Disposition: "attachment; filename=\"\(safeName)\"", Cache_hyphen_Control: "private, no-store",
            X_hyphen_Content_hyphen_SHA256: version.contentHash)
        let typed: Operations.downloadDocumentVersion.Output.Ok.Body = switch version.fileType {
        case .pdf: .pdf(body)
        case .docx: .application_vnd_period_openxmlformats_hyphen_officedocument_period_wordprocessingml_period_document(body)
        case .xlsx: .application_vnd_period_openxmlformats_hyphen_officedocument_period_spreadsheetml_period_sheet(body)
        case .odt: .application_vnd_period_oasis_period_opendocument_period_text(body)
        case .markdown: .text_markdown_charset_utf_hyphen_8(body)
        }
        return .ok(.init(headers: headers, body: typed))
    }

    func actOnDocumentVersion(_ input: Operations.actOnDocumentVersion.Input) async throws -> Operations.actOnDocumentVersion.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"action\": …} as JSON.") }
        guard let action = DocumentAction(rawValue: body.action.rawValue) else { throw ServiceError(.badRequest, "Unknown action.") }
        let id = input.path.id
        let current = try await documents.documentView(id: id, as: user).document
        _ = try await service.gate.authorise(action == .approve ? .approveDocuments : .manageDocuments, as: user)
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the document")
        guard version == current.version else {
            throw ServiceError.stale("\(current.reference) is at version \(current.version), not \(version). Get it again.")
        }
        let saved = try await documents.act(documentID: id, number: input.path.number, action: action, expectedVersion: version,
                                            comment: body.comment, as: user)
        let (etag, document) = try await documentBody(id, showing: saved)
        return .ok(.init(headers: .init(ETag: etag), body: .json(document)))
    }

    func commentOnDocumentVersion(_ input: Operations.commentOnDocumentVersion.Input) async throws -> Operations.commentOnDocumentVersion.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"text\": \"…\"} as JSON.") }
        _ = try await documents.comment(documentID: input.path.id, number: input.path.number, text: body.text, as: user)
        let (etag, document) = try await documentBody(input.path.id)
        return .created(.init(headers: .init(ETag: etag), body: .json(document)))
    }
}
