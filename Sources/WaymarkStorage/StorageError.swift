/// Errors a store reports. A struct with a nested code, so codes can grow without breaking callers.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public static let notFound = Code(name: "not found")
        /// The record changed since it was read (its version moved on).
        public static let conflict = Code(name: "conflict")
        /// The database cannot be reached, or refused the credentials.
        public static let unavailable = Code(name: "unavailable")
        /// The database URL is malformed or uses an unknown scheme.
        public static let invalidURL = Code(name: "invalid database URL")
        /// Another writer appended to the audit chain first; the write can simply be retried.
        public static let auditChainMoved = Code(name: "audit chain moved")
        /// A seed was asked to load into a database that already holds data.
        public static let notEmpty = Code(name: "database not empty")
        /// A record with the same unique name already exists.
        public static let duplicate = Code(name: "duplicate")
        /// The write broke one of the database's own rules (a unique key, a reference, a check)
        /// that no service check caught first: the request conflicts with stored data, and
        /// retrying it unchanged will not help.
        public static let constraint = Code(name: "constraint")
        /// A value the store cannot take (a malformed content hash).
        public static let invalid = Code(name: "invalid")
        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
