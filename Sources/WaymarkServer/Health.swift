import Hummingbird
import Logging
import OpenAPIRuntime
import WaymarkStorage

/// Readiness, and what an operator sees when the database fails a request.
enum Health {
    /// Seconds a client is asked to wait after a 503 caused by the database.
    static let retryAfterSeconds = 5

    /// `GET /health/ready`: 200 when the database answers a read, else 503 with Retry-After.
    /// `/health` stays a liveness check that touches nothing.
    static func ready(_ store: any StoreHealth, logger: Logger) async -> Response {
        do {
            try await store.ping()
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: "ready")))
        } catch {
            logger.error("readiness check failed: the database did not answer", metadata: ["cause": "\(cause(error))"])
            return Response(status: .serviceUnavailable,
                            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store", .retryAfter: String(retryAfterSeconds)],
                            body: .init(byteBuffer: ByteBuffer(string: "not ready: the database is unavailable")))
        }
    }

    /// For a request that failed because the database could not serve it (503): asks the
    /// client to retry later and logs the cause for the operator. The cause is the store's own
    /// message, which names the fault and never a statement, its values or the request.
    static func annotate(_ response: inout Response, for error: any Error, logger: Logger) {
        guard let storage = storageError(error), storage.code == .unavailable else { return }
        if response.headers[.retryAfter] == nil { response.headers[.retryAfter] = String(retryAfterSeconds) }
        logger.error("database unavailable; answered 503", metadata: ["cause": "\(storage.message)"])
    }

    static func storageError(_ error: any Error) -> StorageError? {
        (error as? StorageError) ?? ((error as? ServerError)?.underlyingError as? StorageError)
    }

    static func cause(_ error: any Error) -> String {
        (error as? StorageError)?.message ?? String(describing: type(of: error))
    }
}
