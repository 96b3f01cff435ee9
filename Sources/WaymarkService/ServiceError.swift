/// Errors the application layer reports to any caller (HTML, API or CLI), each with a message
/// that says what was wrong and what to do. WaymarkServer's `ErrorTable` gives each kind its
/// one HTTP status; field-by-field input problems are a `ValidationFailure` instead.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Out of scope or absent: the two look the same, so nobody learns what exists.
        case notFound
        /// The request itself is malformed: a query parameter, a header, a body that is not the
        /// named format.
        case badRequest
        /// Understood, but it breaks a rule, so nothing changed (a file that cannot be imported,
        /// a risk that is closed and so cannot be escalated).
        case refused
        /// It clashes with what is stored: a duplicate name, a gate out of order, already done.
        case conflict
        /// The record changed since the caller read it (a stale ETag or form version).
        case staleVersion
        /// A versioned write that did not say which version it changes (no If-Match).
        case versionRequired
        /// Not signed in, or the credentials were not right.
        case unauthorised
        /// Signed in, and the record is in scope, but the role does not permit the action.
        case forbidden
        /// An abuse limit was reached; `retryAfter` says when to try again.
        case tooManyRequests
    }
    public var kind: Kind
    public var message: String
    /// Seconds, for `.tooManyRequests`.
    public var retryAfter: Int64?

    public init(_ kind: Kind, _ message: String, retryAfter: Int64? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }

    /// The record moved on since the caller read it.
    public static func stale(_ message: String) -> ServiceError { ServiceError(.staleVersion, message) }
    /// A versioned write sent without saying which version it changes.
    public static func versionRequired(_ message: String) -> ServiceError { ServiceError(.versionRequired, message) }

    static func unknownOrganisation(_ code: String) -> ServiceError {
        ServiceError(.notFound, "No organisation has the code '\(code)'.")
    }

    /// The same answer whether the project does not exist or is outside the actor's scope, so
    /// nobody can learn what exists beyond what they may see.
    static func unknownProject(_ code: String) -> ServiceError {
        ServiceError(.notFound, "No implementation project has the code '\(code)'.")
    }
}
