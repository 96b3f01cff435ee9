import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkInterchange
import WaymarkService

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data.", subcommands: [ImportPlan.self])
}

struct ImportPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Import a project plan from Microsoft Project XML, Primavera XER or CSV.",
        discussion: """
            Replaces the project's whole plan. The file is read and scheduled first; if it cannot be
            read, or the plan cannot be scheduled (a dependency loop, a link to a missing task), nothing
            changes. Prints what did not carry over and how the plan compares with the project's NSI
            milestones.
            """)

    @Argument(help: "The plan file (.xml, .xer or .csv).") var file: String
    @Option(help: "The implementation project's code, e.g. A80001-CRS.") var project: String
    @Option(help: "mspdi, xer or csv. Default: from the file's extension.") var format: String?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let format = try planFormat(format, path: file)
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        guard let size = attributes?[.size] as? Int else { throw ValidationError("Cannot read '\(file)'.") }
        guard size < PlanReader.maximumBytes else {
            throw ValidationError("'\(file)' is \(size / 1_048_576) MB; plan files are limited to \(PlanReader.maximumBytes / 1_048_576) MB.")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let plans = PlanService(programme: ProgrammeService(store: try await StoreOpener.open(options.url)))
        // The operator replaces whatever plan is there, so the write names the version it replaces.
        let current = try await plans.planVersion(code: project, as: .commandLine())
        let outcome = try await plans.importPlan(code: project, data: data, format: format, expectedVersion: current, as: .commandLine())
        print("Imported \(outcome.tasks) tasks and \(outcome.dependencies) dependencies into \(project.uppercased()) (plan version \(outcome.version)).")
        for note in outcome.notes { print("  not carried over: \(note)") }
        if outcome.findings.isEmpty {
            print("The plan carries every NSI reporting milestone, in order and within its baseline.")
        } else {
            for finding in outcome.findings { print("  NSI \(finding.kind.rawValue): \(finding.message)") }
        }
    }
}

struct ExportPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Export a project's plan as Microsoft Project XML, Primavera XER or CSV.")

    @Option(help: "The implementation project's code.") var project: String
    @Option(help: "mspdi, xer or csv.") var format: String
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        guard let format = PlanFormat(rawValue: format) else { throw ValidationError("Unknown format '\(format)'; use mspdi, xer or csv.") }
        let plans = PlanService(programme: ProgrammeService(store: try await StoreOpener.open(options.url)))
        let data = try await plans.exportPlan(code: project, format: format, as: .commandLine())
        if let output {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            printError("Wrote \(format.title) for \(project.uppercased()) to \(output).")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

func planFormat(_ name: String?, path: String) throws -> PlanFormat {
    if let name {
        guard let format = PlanFormat(rawValue: name) else { throw ValidationError("Unknown format '\(name)'; use mspdi, xer or csv.") }
        return format
    }
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "xml", "mspdi": return .mspdi
    case "xer": return .xer
    case "csv": return .csv
    default: throw ValidationError("Cannot tell the format of '\(path)' from its extension; give --format mspdi, xer or csv.")
    }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Set an organisation's calendar exceptions.",
        discussion: """
            Plans use English and Welsh bank holidays. An organisation can add days it does not work
            (--holiday) or days it works although they are weekends or bank holidays (--working), such
            as a go-live weekend. An exception applies to every plan in the organisation's subtree.
            """)

    @Option(help: "The organisation's code.") var organisation: String
    @Option(help: "The day, YYYY-MM-DD.") var day: String
    @Flag(help: "The organisation does not work that day.") var holiday = false
    @Flag(help: "The organisation works that day.") var working = false
    @Option(help: "Why, e.g. 'go-live weekend'.") var note: String
    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard holiday != working else { throw ValidationError("Give exactly one of --holiday and --working.") }
        guard Day(iso: day) != nil else { throw ValidationError("'\(day)' is not a date; use YYYY-MM-DD.") }
    }

    func run() async throws {
        let plans = PlanService(programme: ProgrammeService(store: try await StoreOpener.open(options.url)))
        try await plans.setCalendarException(organisationCode: organisation, day: Day(iso: day)!, working: working, note: note,
                                             as: .commandLine())
        print("\(organisation.uppercased()) \(working ? "works" : "does not work") on \(day).")
    }
}
