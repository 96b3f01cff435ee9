import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// How Waymark answers an error: its status, a title, what to do, and any field errors.
struct ErrorAnswer: Sendable, Equatable {
    var status: HTTPResponse.Status
    var title: String
    var detail: String
    var errors: [FieldError] = []
    var retryAfter: Int64?

    /// What a form shows: the field errors, or the detail as one error about the whole form.
    var formErrors: [FieldError] { errors(orOn: "") }

    /// The field errors, or the detail as an error on `field` (a form's hidden version, say).
    func errors(orOn field: String) -> [FieldError] { errors.isEmpty ? [FieldError(field: field, message: detail)] : errors }

    /// The whole refusal as one sentence or more, for a page that shows a single message.
    var summary: String { errors.isEmpty ? detail : errors.map(\.message).joined(separator: " ") }

    /// The sender can put it right on the form they sent (bad input, a broken rule, a clash or a
    /// stale version), so a page shows it beside the form. Anything else replaces the page.
    var isCorrectable: Bool {
        [.badRequest, .conflict, .preconditionFailed, .preconditionRequired, .unprocessableContent, .contentTooLarge].contains(status)
    }
}

/// The one table from an error to its HTTP answer, for pages and the API alike. Services throw;
/// handlers and controllers return only their success case, and `ErrorRenderingMiddleware`
/// renders what this table says (problem+json for the API, an error page otherwise).
enum ErrorTable {
    static func answer(for error: any Error) -> ErrorAnswer {
        switch error {
        case let server as ServerError:
            // The generated API layer wraps what a handler threw; a request it could not read is its own.
            guard isOurs(server.underlyingError) else { return DecodingErrorMessage.answer(server) }
            return answer(for: server.underlyingError)
        case let error as ServiceError:
            return service(error)
        case let failure as ValidationFailure:
            return ErrorAnswer(status: .unprocessableContent, title: "Not saved", detail: failure.summary, errors: failure.errors)
        case let rejected as ImportRejected:
            return ErrorAnswer(status: .unprocessableContent, title: "Nothing imported", detail: rejected.summary,
                               errors: rejected.problems.map { FieldError(field: "line \($0.line)", message: $0.message) })
        case let error as StorageError where error.code == .unavailable:
            return ErrorAnswer(status: .serviceUnavailable, title: "Service unavailable", detail: "The database is unavailable; try again shortly.")
        case let error as StorageError where error.code == .constraint:
            return ErrorAnswer(status: .conflict, title: "Conflict", detail: "The change conflicts with a record stored meanwhile. Reload and try again.")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return ErrorAnswer(status: .notFound, title: "Not found", detail: "There is no page at this address.")
            case .contentTooLarge:
                return ErrorAnswer(status: .contentTooLarge, title: "Too large", detail: error.body ?? "The request body is larger than Waymark accepts.")
            default: return ErrorAnswer(status: error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
            }
        default:
            return ErrorAnswer(status: .internalServerError, title: "Something went wrong",
                               detail: "Waymark could not complete the request. It has been logged.")
        }
    }

    static func service(_ error: ServiceError) -> ErrorAnswer {
        let (status, title): (HTTPResponse.Status, String) = switch error.kind {
        case .notFound: (.notFound, "Not found")
        case .badRequest: (.badRequest, "Bad request")
        case .refused: (.unprocessableContent, "Not saved")
        case .conflict: (.conflict, "Conflict")
        case .staleVersion: (.preconditionFailed, "Changed since you read it")
        case .versionRequired: (.preconditionRequired, "Precondition required")
        case .unauthorised: (.unauthorized, "Sign-in required")
        case .forbidden: (.forbidden, "Not permitted")
        case .tooManyRequests: (.tooManyRequests, "Too many requests")
        }
        return ErrorAnswer(status: status, title: title, detail: error.message, retryAfter: error.retryAfter)
    }

    /// Errors this table knows how to answer (anything else inside a `ServerError` is the
    /// generated layer refusing the request).
    static func isOurs(_ error: any Error) -> Bool {
        error is ServiceError || error is StorageError || error is ValidationFailure
            || error is ImportRejected || error is HTTPError
    }

    /// The error as a refusal a page can show beside its form, or nil when it is not one (404,
    /// 403, 5xx), which the caller rethrows so the error page shows it.
    static func correctable(_ error: any Error) -> ErrorAnswer? {
        let answer = answer(for: error)
        return answer.isCorrectable ? answer : nil
    }
}
