import ArgumentParser
import WaymarkStorage

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check stored data for tampering.", subcommands: [VerifyAudit.self])
}

struct VerifyAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail's hash chain and name the first broken entry.",
        discussion: "Exits 0 when every entry's hash matches its content and the one before it, and 1 otherwise.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        let result = try await store.verifyAuditChain()
        if let broken = result.broken {
            printError("Audit chain BROKEN after \(result.entries) good entries: \(broken.reason).")
            throw ExitCode(1)
        }
        print("Audit chain intact: \(result.entries) \(result.entries == 1 ? "entry" : "entries"); head \(result.headHash).")
    }
}
