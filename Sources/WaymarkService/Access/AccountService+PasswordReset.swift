import Foundation
import WaymarkCore
import WaymarkStorage

/// Setting a password with a one-time reset link (issue 13). No sign-in is needed: the link's
/// secret is the credential, so it works once, expires, and is never logged or stored.
extension AccountService {
    /// The active user a link is for; an unknown, expired or used link reads as not found.
    public func passwordResetUser(secret: String) async throws -> UserAccount {
        guard secret.utf8.count < 100, let reset = try await store.passwordReset(secretHash: Secrets.hash(secret)),
              reset.isUsable(at: now), let user = try await store.user(id: reset.userID), user.active else {
            throw Self.invalidResetLink
        }
        return user
    }

    /// Sets the user's password from a link and spends the link; every session of theirs ends.
    @discardableResult
    public func resetPassword(secret: String, password: String, confirmation: String, origin: String) async throws -> UserAccount {
        let user = try await passwordResetUser(secret: secret)
        var errors: [FieldError] = []
        if let problem = PasswordHasher.problem(with: password) { errors.append(FieldError(field: "password", message: problem)) }
        if password != confirmation { errors.append(FieldError(field: "confirm", message: "The two passwords are not the same.")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        do {
            try await store.usePasswordReset(secretHash: Secrets.hash(secret), passwordHash: await hasher.hash(password), at: now,
                                             audit: audit("reset password", actor: user.username, origin: origin, entityID: user.id))
        } catch let error as StorageError where error.code == .notFound {
            // Used or expired while the password was being hashed.
            throw Self.invalidResetLink
        }
        return user
    }

    static let invalidResetLink = ServiceError(
        .notFound, "This password link is not valid: it is unknown, has expired or has been used. Ask your system administrator for a new one.")
}
