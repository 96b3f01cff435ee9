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
        do {
            return .ok(.init(body: .json(DocumentMapping.projectDocuments(try await documents.projectDocuments(projectCode: input.path.code, as: user)))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
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
        do {
            let expected: Int?
            switch try await documentPrecondition(input.path.code, input.path.product, ifMatch: input.headers.If_hyphen_Match) {
            case .proceed(let version): expected = version
            case .failed(428, let problem): return .preconditionRequired(problem)
            case .failed(_, let problem): return .preconditionFailed(problem)
            }
            let bytes = try await [UInt8](collecting: body, upTo: Self.maximumDocumentBodyBytes)
            let record = try await documents.upload(
                projectCode: input.path.code, productCode: input.path.product, fileName: input.query.fileName, declaredMediaType: mediaType,
                bytes: bytes, changeSummary: input.query.changeSummary, expectedVersion: expected, as: user)
            let (etag, document) = try await documentBody(record.document.id, showing: record)
            return expected == nil ? .created(.init(headers: .init(ETag: etag), body: .json(document)))
                : .ok(.init(headers: .init(ETag: etag), body: .json(document)))
        } catch {
            switch try Self.documentFailure(error, conflict: 412, refused: "Upload refused; nothing was stored") {
            case (404, let problem): return .notFound(problem)
            case (412, let problem): return .preconditionFailed(problem)
            case (422, let problem): return .unprocessableContent(problem)
            case (_, let problem): return .badRequest(problem)
            }
        }
    }

    func startDocumentFromTemplate(_ input: Operations.startDocumentFromTemplate.Input) async throws -> Operations.startDocumentFromTemplate.Output {
        do {
            let expected: Int?
            switch try await documentPrecondition(input.path.code, input.path.product, ifMatch: input.headers.If_hyphen_Match) {
            case .proceed(let version): expected = version
            case .failed(428, let problem): return .preconditionRequired(problem)
            case .failed(_, let problem): return .preconditionFailed(problem)
            }
            // The service drafts over the document as it finds it; the check above is what
            // stops a client overwriting a version it has not seen.
            let record = try await documents.startFromTemplate(projectCode: input.path.code, productCode: input.path.product, as: user)
            let (etag, document) = try await documentBody(record.document.id, showing: record)
            return expected == nil ? .created(.init(headers: .init(ETag: etag), body: .json(document)))
                : .ok(.init(headers: .init(ETag: etag), body: .json(document)))
        } catch {
            switch try Self.documentFailure(error, conflict: 412) {
            case (404, let problem): return .notFound(problem)
            case (412, let problem): return .preconditionFailed(problem)
            case (_, let problem): return .badRequest(problem)
            }
        }
    }

    enum DocumentPrecondition {
        /// Go ahead, expecting the document at this version (nil: there is no document yet).
        case proceed(Int?)
        case failed(Int, Components.Responses.Problem)
    }

    /// Scope (404) and `.manageDocuments` (403) on the project, then the If-Match a write to
    /// the product's document needs: required once the document exists (428), and it must be
    /// the document's current ETag (412; also when there is no document to match).
    func documentPrecondition(_ code: String, _ product: String, ifMatch: String?) async throws -> DocumentPrecondition {
        let view = try await documents.projectDocuments(projectCode: code, as: user)
        _ = try await service.gate.authorise(.manageDocuments, as: user)
        // The product is part of the address: one the project's catalogue lacks is not found.
        guard view.products.contains(where: { $0.product.code == product.uppercased() }) else {
            throw ServiceError(.notFound, "\(code) has no NSI product '\(product)' in its catalogue version; GET /api/v1/projects/\(code)/documents lists them.")
        }
        let existing = (view.products.compactMap(\.document) + view.others).first { $0.productCode == product.uppercased() }
        guard let ifMatch else {
            guard let existing else { return .proceed(nil) }
            return .failed(428, Self.preconditionRequired("\(existing.reference)'s ETag (from GET /api/v1/documents/\(existing.id))"))
        }
        guard let version = Self.version(fromETag: ifMatch) else { throw ServiceError(.badRequest, "If-Match must be the document's ETag, e.g. \"3\".") }
        guard let existing else {
            return .failed(412, APIMapping.problem(status: 412, title: "Precondition failed",
                                                   detail: "\(code) has no \(product) document to match If-Match; leave If-Match out to create it."))
        }
        guard existing.version == version else {
            return .failed(412, APIMapping.problem(status: 412, title: "Precondition failed",
                                                   detail: "\(existing.reference) is at version \(existing.version), not \(version). Get it again."))
        }
        return .proceed(version)
    }

    func applyLatestCatalogue(_ input: Operations.applyLatestCatalogue.Input) async throws -> Operations.applyLatestCatalogue.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"version\": N} as JSON.") }
        do {
            _ = try await documents.projectDocuments(projectCode: input.path.code, as: user)
            _ = try await service.gate.authorise(.manageDocuments, as: user)
            // The client names the version whose diff it checked, as the documents page's form does.
            let latest = NSIProductCatalogue.latest.number
            guard body.version == latest else {
                throw ServiceError(.conflict, "The latest NSI catalogue is version \(latest), not \(body.version). Check its changes (GET /api/v1/projects/\(input.path.code)/documents) and apply it again.")
            }
            return .ok(.init(body: .json(DocumentMapping.diff(try await documents.applyLatestCatalogue(projectCode: input.path.code, as: user)))))
        } catch let error as ServiceError where error.kind == .notFound || error.kind == .conflict {
            return error.kind == .notFound ? .notFound(Self.notFound(error))
                : .conflict(APIMapping.problem(status: 409, title: "Conflict", detail: error.message))
        }
    }

    func getDocument(_ input: Operations.getDocument.Input) async throws -> Operations.getDocument.Output {
        do {
            let (etag, document) = try await documentBody(input.path.id)
            return .ok(.init(headers: .init(ETag: etag), body: .json(document)))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    /// The document as the caller sees it now, with its ETag.
    func documentBody(_ id: Int64, showing saved: DocumentRecord? = nil) async throws -> (String, Components.Schemas.Document) {
        let view = try await documents.documentView(id: id, showing: saved, as: user)
        return (Self.etag(view.document.version), DocumentMapping.document(view))
    }

    func downloadDocumentVersion(_ input: Operations.downloadDocumentVersion.Input) async throws -> Operations.downloadDocumentVersion.Output {
        do {
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
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    func actOnDocumentVersion(_ input: Operations.actOnDocumentVersion.Input) async throws -> Operations.actOnDocumentVersion.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"action\": …} as JSON.") }
        guard let action = DocumentAction(rawValue: body.action.rawValue) else { throw ServiceError(.badRequest, "Unknown action.") }
        let id = input.path.id
        do {
            let current = try await documents.documentView(id: id, as: user).document
            _ = try await service.gate.authorise(action == .approve ? .approveDocuments : .manageDocuments, as: user)
            let ifMatch = input.headers.If_hyphen_Match
            guard let version = Self.version(fromETag: ifMatch) else { throw ServiceError(.badRequest, "If-Match must be the document's ETag, e.g. \"3\".") }
            guard version == current.version else {
                return .preconditionFailed(APIMapping.problem(status: 412, title: "Precondition failed",
                                                              detail: "\(current.reference) is at version \(current.version), not \(version). Get it again."))
            }
            // The service saves the action before the comment, so a bad comment is refused here
            // rather than after the version has moved.
            if let comment = body.comment, !comment.trimmedWhitespace.isEmpty {
                do { _ = try DocumentRules.checkComment(comment) } catch {
                    throw ValidationFailure([FieldError(field: "comment", message: error.message)])
                }
            }
            let saved: DocumentRecord
            do {
                saved = try await documents.act(documentID: id, number: input.path.number, action: action, expectedVersion: version,
                                                comment: body.comment, as: user)
            } catch let error as ServiceError where error.kind == .conflict {
                // The service says conflict both for a refused rule and for a document that moved meanwhile.
                guard try await documents.documentView(id: id, as: user).document.version == version else {
                    return .preconditionFailed(APIMapping.problem(status: 412, title: "Precondition failed", detail: error.message))
                }
                return .conflict(APIMapping.problem(status: 409, title: "Action refused", detail: error.message))
            }
            let (etag, document) = try await documentBody(id, showing: saved)
            return .ok(.init(headers: .init(ETag: etag), body: .json(document)))
        } catch {
            switch try Self.documentFailure(error, conflict: 409) {
            case (404, let problem): return .notFound(problem)
            case (409, let problem): return .conflict(problem)
            case (412, let problem): return .preconditionFailed(problem)
            case (422, let problem): return .unprocessableContent(problem)
            case (_, let problem): return .badRequest(problem)
            }
        }
    }

    func commentOnDocumentVersion(_ input: Operations.commentOnDocumentVersion.Input) async throws -> Operations.commentOnDocumentVersion.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"text\": \"…\"} as JSON.") }
        do {
            _ = try await documents.comment(documentID: input.path.id, number: input.path.number, text: body.text, as: user)
            let (etag, document) = try await documentBody(input.path.id)
            return .created(.init(headers: .init(ETag: etag), body: .json(document)))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(Self.invalid(failure))
        }
    }

    /// An expected failure as its status and problem; anything else (403 included, which
    /// `ErrorRenderingMiddleware` renders) is rethrown. `conflict` is what a service conflict
    /// means for the operation: 409 (a rule refused it) or 412 (a stale version).
    static func documentFailure(_ error: any Error, conflict: Int, refused: String = "Validation failed") throws -> (Int, Components.Responses.Problem) {
        switch error {
        case let failure as ValidationFailure:
            return (422, APIMapping.problem(status: 422, title: refused, detail: failure.summary, errors: failure.errors))
        case let error as ServiceError where error.kind == .notFound:
            return (404, notFound(error))
        case let error as ServiceError where error.kind == .conflict:
            return (conflict, APIMapping.problem(status: conflict, title: conflict == 412 ? "Precondition failed" : "Conflict", detail: error.message))
        case let error as ServiceError where error.kind == .badRequest:
            return (400, APIMapping.problem(status: 400, title: "Bad request", detail: error.message))
        default:
            throw error
        }
    }
}
