import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export data.", subcommands: [ExportProjects.self, ExportPlan.self])
}

struct ExportProjects: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects",
        abstract: "Export implementation projects with their milestones.",
        discussion: "One row per project: organisation, product, type, stage, RAG status, supplier, and each milestone's baseline, forecast and actual date.")

    @Option(help: "Output format: csv.") var format: String = "csv"
    @Option(help: "Only projects within this organisation (code), or delivered by this supplier.") var within: String?
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard format == "csv" else { throw ValidationError("Unknown format '\(format)'; the only format is csv.") }
    }

    func run() async throws {
        let service = ProgrammeService(store: try await StoreOpener.open(options.url))
        let user = ActingUser.commandLine()
        var organisation: Organisation?
        if let within { organisation = try await service.organisation(code: within, as: user) }
        var sink: FileHandle = .standardOutput
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("Cannot write to '\(output)'.")
            }
            sink = handle
        }
        sink.write(Data((ProjectCSV.header + "\n").utf8))
        var after: Int64?
        var count = 0
        repeat {
            let page = try await service.exportPage(ProjectQuery(within: organisation, after: after, limit: 500), as: user)
            let lines = zip(page.items, service.statuses(of: page.items)).map { ProjectCSV.row($0, status: $1) }
            if !lines.isEmpty { sink.write(Data((lines.joined(separator: "\n") + "\n").utf8)) }
            count += lines.count
            after = page.nextCursor
        } while after != nil
        if output != nil { printError("Exported \(count.formatted()) projects to \(output!).") }
    }
}

