/// Where the data lives: `sqlite:PATH` (the embedded default) or `postgres://user:pass@host:port/db`.
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    public struct PostgresAddress: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
    }

    public init(parsing text: String) throws(StorageError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw StorageError(.invalidURL, "The SQLite URL '\(text)' has no path; use sqlite:PATH, e.g. sqlite:waymark.sqlite.")
            }
            self = .sqlite(path: path)
            return
        }
        for scheme in ["postgres://", "postgresql://"] where text.hasPrefix(scheme) {
            self = .postgres(try DatabaseURL.parsePostgres(String(text.dropFirst(scheme.count)), original: text))
            return
        }
        let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
        throw StorageError(.invalidURL,
                           "Unknown database URL scheme '\(scheme)' in '\(text)'. Use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
    }

    private static func parsePostgres(_ rest: String, original: String) throws(StorageError) -> PostgresAddress {
        let invalid = StorageError(.invalidURL,
                                   "'\(original)' is not a valid PostgreSQL URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
        var credentials = ""
        var hostPart = rest
        if let at = rest.lastIndex(of: "@") {
            credentials = String(rest[..<at])
            hostPart = String(rest[rest.index(after: at)...])
        }
        guard let slash = hostPart.firstIndex(of: "/") else { throw invalid }
        let hostPort = String(hostPart[..<slash])
        var database = String(hostPart[hostPart.index(after: slash)...])
        if let q = database.firstIndex(of: "?") { database = String(database[..<q]) }
        var host = hostPort
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else { throw invalid }
            port = p
        }
        guard !host.isEmpty, !database.isEmpty else { throw invalid }
        var username = "postgres"
        var password: String?
        if !credentials.isEmpty {
            let parts = credentials.split(separator: ":", maxSplits: 1).map(String.init)
            username = percentDecoded(parts[0])
            password = parts.count > 1 ? percentDecoded(parts[1]) : nil
        }
        return PostgresAddress(host: host, port: port, username: username, password: password, database: database)
    }

    private static func percentDecoded(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
               let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The URL with any password masked, safe for logs and error messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let a): "postgres://\(a.username)\(a.password == nil ? "" : ":***")@\(a.host):\(a.port)/\(a.database)"
        }
    }
}
