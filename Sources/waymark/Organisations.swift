import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `waymark org`: the programme's organisations from the command line, through the same
/// service, checks and audit as the pages and the API.
struct Organisations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "org", abstract: "Add, edit, move and close organisations.",
                                                    subcommands: [OrgAdd.self, OrgEdit.self, OrgMove.self, OrgClose.self, OrgImport.self])
}

/// The service as the operator, and the version of an organisation as it is now: an operator's
/// change is made against what is stored when it runs.
struct OrganisationCommandContext {
    let service: OrganisationService
    let store: any WaymarkStore

    init(_ options: DatabaseOptions) async throws {
        store = try await StoreOpener.open(options.url)
        service = OrganisationService(programme: ProgrammeService(store: store))
    }

    func version(of code: String) async throws -> Int {
        guard let organisation = try await store.organisation(code: code, scope: .national) else {
            throw ValidationError("No organisation has the code '\(code)'.")
        }
        return organisation.version
    }
}

struct OrgAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an organisation under its parent.")
    @Option(help: "ODS code, e.g. RR8 or B86001.") var code: String
    @Option(help: "Name.") var name: String
    @Option(help: "Level: cluster, sha, lhc, trust, site or supplier.") var kind: String
    @Option(help: "Code of the parent (not for suppliers).") var parent: String?
    @Option(help: "Finer type, e.g. 'acute trust' or 'GP practice'.") var subtype: String?
    @Option(help: "For suppliers: lsp, esp, nasp or nisp.") var supplierRole: String?
    @Option(help: "Postcode.") var postcode: String?
    @Option(help: "Opening date, YYYY-MM-DD (default today).") var openedOn: String?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let context = try await OrganisationCommandContext(options)
        let added = try await context.service.create(OrganisationChange(
            code: code, name: name, kind: kind, subtype: subtype, parent: parent, supplierRole: supplierRole,
            postcode: postcode, openedOn: openedOn), as: .commandLine())
        print("Added \(added.code), \(added.name) (\(added.kind.title)).")
    }
}

struct OrgEdit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change an organisation's name, subtype, postcode or opening date.")
    @Argument(help: "The organisation's code.") var code: String
    @Option(help: "New name.") var name: String?
    @Option(help: "New subtype ('' clears it).") var subtype: String?
    @Option(help: "New postcode ('' clears it).") var postcode: String?
    @Option(help: "New opening date, YYYY-MM-DD.") var openedOn: String?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let context = try await OrganisationCommandContext(options)
        let saved = try await context.service.update(code: code, OrganisationChange(
            name: name, subtype: subtype, postcode: postcode, openedOn: openedOn,
            expectedVersion: try await context.version(of: code)), as: .commandLine())
        print("Saved \(saved.code), \(saved.name).")
    }
}

struct OrgMove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move", abstract: "Move an organisation, with everything below it, under a new parent.")
    @Argument(help: "The organisation's code.") var code: String
    @Option(help: "Code of the new parent.") var to: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let context = try await OrganisationCommandContext(options)
        let moved = try await context.service.move(code: code, to: to, expectedVersion: try await context.version(of: code), as: .commandLine())
        print("Moved \(moved.code) under \(to.uppercased()).")
    }
}

struct OrgClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close an organisation; it keeps its history, roll-ups and audit trail.")
    @Argument(help: "The organisation's code.") var code: String
    @Option(help: "Closing date, YYYY-MM-DD (default today).") var on: String?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let day = try on.map { text -> Day in
            guard let day = Day(iso: text) else { throw ValidationError("Give the closing date as YYYY-MM-DD.") }
            return day
        }
        let context = try await OrganisationCommandContext(options)
        let closed = try await context.service.close(code: code, on: day, expectedVersion: try await context.version(of: code), as: .commandLine())
        print("Closed \(closed.code) on \(closed.closedOn?.iso ?? "?").")
    }
}

struct OrgImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import organisations from a CSV in the layout of NHS ODS extracts.",
        discussion: """
            Columns: code, name, parent code, level (cluster, sha, lhc, trust or site), and optionally type
            (e.g. GP practice), postcode, open date and close date (YYYY-MM-DD or YYYYMMDD). Without --apply it only shows what would change.
            The import is all or nothing: any rejected row is listed with its line, and nothing is written.
            """)
    @Argument(help: "The CSV file.") var file: String
    @Flag(help: "Apply the changes (otherwise only preview them).") var apply = false
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let context = try await OrganisationCommandContext(options)
        do {
            let preview = try await context.service.previewImport(data, as: .commandLine())
            let plan = preview.plan
            print("\(plan.additions.count) to add, \(plan.changes.count) to change (\(plan.moves.count) moving, \(plan.closures.count) closing), "
                  + "\(plan.unchanged) unchanged.")
            guard apply else {
                if !plan.isEmpty { print("Nothing was written; run again with --apply to import.") }
                return
            }
            try await context.service.applyImport(data, expectedFingerprint: preview.fingerprint, as: .commandLine())
            print(plan.isEmpty ? "Nothing to import." : "Imported.")
        } catch let rejected as ImportRejected {
            for problem in rejected.problems.prefix(200) { FileHandle.standardError.write(Data("line \(problem.line): \(problem.message)\n".utf8)) }
            FileHandle.standardError.write(Data("\(rejected.summary)\n".utf8))
            throw ExitCode.failure
        }
    }
}
