/// Errors the application layer reports to any caller (HTML, API or CLI), each with a message
/// that says what was wrong and what to do.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable { case notFound, badRequest, conflict }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func unknownOrganisation(_ code: String) -> ServiceError {
        ServiceError(.notFound, "No organisation has the code '\(code)'.")
    }

    static func unknownProject(_ code: String) -> ServiceError {
        ServiceError(.notFound, "No implementation project has the code '\(code)'.")
    }
}
