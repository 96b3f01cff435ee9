import Crypto
import Foundation
import HummingbirdBcrypt
import WaymarkCore

/// Password rules and bcrypt hashing.
///
/// bcrypt reads at most 72 bytes, so a longer password would silently lose its tail. Rule:
/// a password over 72 UTF-8 bytes is first reduced to base64(SHA-256(password)), 44 bytes,
/// so every byte counts. Shorter passwords go to bcrypt unchanged.
public struct PasswordHasher: Sendable {
    public static let minimumCost: UInt8 = 12
    public static let minimumLength = 12
    public static let maximumBytes = 1024
    public let cost: UInt8

    public init(cost: UInt8 = PasswordHasher.minimumCost) {
        self.cost = max(cost, Self.minimumCost)
    }

    /// Why `password` is not acceptable, or nil.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "Passwords must be at least \(minimumLength) characters long." }
        if password.utf8.count > maximumBytes { return "Passwords must be at most \(maximumBytes) bytes long." }
        if password.contains("\0") { return "Passwords cannot contain a NUL character." }
        return nil
    }

    /// What bcrypt is given for `password` (see the type's note on the 72-byte rule).
    static func bcryptInput(_ password: String) -> String {
        guard password.utf8.count > 72 else { return password }
        return Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    public func hash(_ password: String) async -> String {
        let cost = self.cost
        return await Self.offEventLoop { Bcrypt.hash(Self.bcryptInput(password), cost: cost) }
    }

    public func verify(_ password: String, hash: String) async -> Bool {
        guard password.utf8.count <= Self.maximumBytes, hash.hasPrefix("$2") else { return false }
        return await Self.offEventLoop { Bcrypt.verify(Self.bcryptInput(password), hash: hash) }
    }

    /// A hash of no real password, verified against when a username is unknown so that a
    /// failed sign-in takes the same time either way.
    static let decoy = Bcrypt.hash("decoy password for unknown users", cost: minimumCost)

    /// bcrypt takes a quarter of a second by design; run it on a Dispatch thread so it never
    /// holds an event loop (NIO is the global executor in the server).
    static func offEventLoop<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}

/// Random secrets for session cookies and API tokens. Only their SHA-256 is stored: the
/// secrets have 256 bits of entropy, so a slow hash would add nothing.
public enum Secrets {
    public static let tokenPrefix = "wmk_"

    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    public static func hash(_ secret: String) -> String { sha256Hex(Data(secret.utf8)) }

    /// SHA-256 as lower-case hex: token and session hashes, and document content hashes.
    public static func sha256Hex(_ data: some DataProtocol) -> String {
        // Hex by hand: String(format:) per byte showed in the API's profile.
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
