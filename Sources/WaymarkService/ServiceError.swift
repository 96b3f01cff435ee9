/// Errors the application layer reports to any caller (HTML, API or CLI), each with a message
/// that says what was wrong and what to do.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case notFound, badRequest, conflict
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

    static func unknownOrganisation(_ code: String) -> ServiceError {
        ServiceError(.notFound, "No organisation has the code '\(code)'.")
    }

    /// The same answer whether the project does not exist or is outside the actor's scope, so
    /// nobody can learn what exists beyond what they may see.
    static func unknownProject(_ code: String) -> ServiceError {
        ServiceError(.notFound, "No implementation project has the code '\(code)'.")
    }
}
