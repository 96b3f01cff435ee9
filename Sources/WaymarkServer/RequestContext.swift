import Hummingbird
import NIOCore

/// Hummingbird context carrying the client's address, which becomes the audit entry's origin.
public struct WaymarkRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The request's origin for handlers that only see generated API types.
enum RequestOrigin {
    @TaskLocal static var current: String?

    static func describe(_ address: SocketAddress?) -> String {
        address?.ipAddress ?? "unknown"
    }
}
