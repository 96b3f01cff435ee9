import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.",
                                                    subcommands: [UserAdd.self, UserList.self, UserImportCommand.self, UserResetLink.self,
                                                                  UserDeactivate.self])
}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user with a role at an organisation.",
        discussion: """
            Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).
            The password is read from standard input (one line) with --password-stdin, or prompted
            for without echo. It must be at least \(PasswordHasher.minimumLength) characters.
            """)

    @Option(help: "Sign-in name: 3-64 of a-z, 0-9, '.', '-', '_'.") var username: String
    @Option(help: "Full name, as shown in the app and the audit trail.") var name: String
    @Option(help: "Role (see above).") var role: String
    @Option(help: "Code of the user's organisation, e.g. a trust, SHA, cluster, supplier, or NPO.") var organisation: String
    @Flag(help: "Read the password from standard input.") var passwordStdin = false
    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard Role(rawValue: role) != nil else {
            throw ValidationError("Unknown role '\(role)'. Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    func run() async throws {
        let password = try readPassword(fromStdin: passwordStdin)
        let accounts = AccountService(store: try await StoreOpener.open(options.url))
        let user = try await accounts.addUser(username: username, displayName: name, role: Role(rawValue: role)!,
                                              organisationCode: organisation, password: password, as: .commandLine())
        print("Added \(user.username) as \(user.role.title).")
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        for user in try await store.users(limit: 1000) {
            let organisation = try await store.organisation(id: user.organisationID, scope: .national)
            print("\(user.username)\t\(user.role.rawValue)\t\(organisation?.code ?? "?")\t\(user.active ? "active" : "inactive")\t\(user.displayName)")
        }
    }
}

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.",
        discussion: "To rotate a token: create its replacement, move the integration to it, then revoke the old one.",
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self])
}

struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an API token for a user; prints it once.",
        discussion: "The token acts as the user, narrowed to its scopes (read, write). Only its hash is stored.")

    @Option(help: "The user the token acts as.") var username: String
    @Option(help: "What will use it, e.g. 'trust PMO nightly export'.") var name: String
    @Option(help: "Comma-separated scopes: read, write.") var scopes: String = "read"
    @Option(help: "Days until it expires (1-365).") var days: Int = 90
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        guard let scopes = TokenScope.parseList(scopes) else { throw ValidationError("Scopes are read and/or write, comma-separated.") }
        let accounts = AccountService(store: try await StoreOpener.open(options.url))
        let user = try await actingAs(username, accounts)
        let token = try await accounts.createToken(name: name, scopes: scopes, days: days, for: user)
        printError("Token \(token.record.id) for \(username), scopes \(token.record.scopeList), expires \(Day(ordinal: Int(token.record.expiresAt / 86_400)).iso). It is shown only now:")
        print(token.secret)
    }
}

struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a user's API tokens.")
    @Option(help: "The user whose tokens to list.") var username: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let accounts = AccountService(store: try await StoreOpener.open(options.url))
        let now = Int64(Date().timeIntervalSince1970)
        for token in try await accounts.tokens(for: try await actingAs(username, accounts)) {
            let status = token.revokedAt != nil ? "revoked" : token.isUsable(at: now) ? "active" : "expired"
            print("\(token.id)\t\(token.name)\t\(token.scopeList)\t\(status)\texpires \(Day(ordinal: Int(token.expiresAt / 86_400)).iso)")
        }
    }
}

struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke one of a user's API tokens.")
    @Option(help: "The token's owner.") var username: String
    @Option(help: "The token id (from `waymark token list`).") var id: Int64
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let accounts = AccountService(store: try await StoreOpener.open(options.url))
        try await accounts.revokeToken(id: id, as: try await actingAs(username, accounts))
        print("Revoked token \(id).")
    }
}

/// The named user, acting from the command line (the operator already holds the database).
func actingAs(_ username: String, _ accounts: AccountService) async throws -> ActingUser {
    guard let account = try await accounts.store.user(username: username) else {
        throw ValidationError("No user is called '\(username)'. Add one with `waymark user add`.")
    }
    return try await accounts.actingUser(account, origin: "cli")
}

func readPassword(fromStdin: Bool) throws -> String {
    if fromStdin {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("No password on standard input.") }
        return line
    }
    guard isatty(0) != 0, let entered = getpass("Password: ") else {
        throw ValidationError("Give the password with --password-stdin when not at a terminal.")
    }
    return String(cString: entered)
}
