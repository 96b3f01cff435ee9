import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `waymark user import`, `reset-link` and `deactivate`: the operator, through the same service,
/// checks and audit as the users page. The operator holds the database, so acts nationally.
struct UserImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add users from a CSV file with the columns username, name, role and organisation.",
        discussion: """
            Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")); organisation is the organisation's code.
            Without --apply it only shows who would be added. The import is all or nothing: every rejected row is
            listed with its line, and nothing is written. Imported users have no password: give each a link with
            `waymark user reset-link`.
            """)
    @Argument(help: "The CSV file.") var file: String
    @Flag(help: "Add the users (otherwise only preview them).") var apply = false
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let users = UserAdministration(accounts: AccountService(store: try await StoreOpener.open(options.url)))
        do {
            let preview = try await users.previewImport(data, as: .commandLine())
            print("\(preview.plan.additions.count) to add: \(preview.plan.additions.prefix(20).map(\.username).joined(separator: ", "))"
                  + (preview.plan.additions.count > 20 ? ", …" : "."))
            guard apply else {
                print("Nothing was written; run again with --apply to import.")
                return
            }
            try await users.applyImport(data, expectedFingerprint: preview.fingerprint, as: .commandLine())
            print("Imported.")
        } catch let rejected as ImportRejected {
            for problem in rejected.problems.prefix(200) { FileHandle.standardError.write(Data("line \(problem.line): \(problem.message)\n".utf8)) }
            FileHandle.standardError.write(Data("\(rejected.summary)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct UserResetLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-link", abstract: "Issue a one-time link with which a user sets a new password; prints it once.")
    @Argument(help: "The username.") var username: String
    @Option(help: "The site's address, put before the link's path.") var site = "http://127.0.0.1:8080"
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let users = UserAdministration(accounts: AccountService(store: try await StoreOpener.open(options.url)))
        let link = try await users.createResetLink(username, as: .commandLine())
        printError("A link for \(link.user.user.username), working once until \(Date(timeIntervalSince1970: Double(link.expiresAt)).formatted(.iso8601)). It is shown only now:")
        print(site + link.path)
    }
}

struct UserDeactivate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deactivate", abstract: "Deactivate a user: their sessions end and their API tokens are revoked.")
    @Argument(help: "The username.") var username: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let users = UserAdministration(accounts: AccountService(store: try await StoreOpener.open(options.url)))
        let current = try await users.user(username, as: .commandLine())
        _ = try await users.setActive(username, false, expectedVersion: current.user.version, as: .commandLine())
        print("Deactivated \(current.user.username).")
    }
}
