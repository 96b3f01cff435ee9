import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `waymark staff import` and `waymark training import`: bulk people work (issue 15) through
/// the same services, checks and audit as the pages. The operator holds the database, so acts
/// nationally.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "staff", abstract: "NHS staff to be registered and trained.",
                                                    subcommands: [StaffImportCommand.self])
}

struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "training", abstract: "Training records.",
                                                    subcommands: [TrainingImportCommand.self])
}

struct StaffImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add or update staff from an HR extract (CSV).",
        discussion: """
            Columns: \(StaffImport.required.joined(separator: ", ")); optional: \(StaffImport.optional.joined(separator: ", ")).
            Organisation and site are codes; other sites are codes separated by '|'. A staff number the employer already
            holds updates that person. All or nothing: every rejected row is listed with its line and nothing is written.
            A file with an NHS Number column is refused: staff files hold no patient data.
            """)
    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let service = StaffService(programme: ProgrammeService(store: try await StoreOpener.open(options.url)))
        try await reportingRejections {
            FileHandle.standardError.write(Data("Reading \(data.count) bytes…\n".utf8))
            let outcome = try await service.importCSV(data, as: .commandLine()) { count in
                FileHandle.standardError.write(Data("Checked \(count) people; writing…\n".utf8))
            }
            print("Imported: \(outcome.added) added, \(outcome.updated) updated.")
        }
    }
}

struct TrainingImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import results from a learning-management system (CSV).",
        discussion: """
            Columns: staff number, organisation, course, result (pass or fail), date (YYYY-MM-DD). All or nothing: every
            rejected row is listed with its line and nothing is written. A file with an NHS Number column is refused.
            """)
    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let service = TrainingService(programme: ProgrammeService(store: try await StoreOpener.open(options.url)))
        try await reportingRejections {
            FileHandle.standardError.write(Data("Reading \(data.count) bytes…\n".utf8))
            print("Imported \(try await service.importResults(data, as: .commandLine())) results.")
        }
    }
}

/// Prints an import's problems by line and fails, or a service refusal as one line.
func reportingRejections(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let rejected as ImportRejected {
        for problem in rejected.problems.prefix(200) { FileHandle.standardError.write(Data("line \(problem.line): \(problem.message)\n".utf8)) }
        FileHandle.standardError.write(Data("\(rejected.summary)\n".utf8))
        throw ExitCode.failure
    } catch let error as ServiceError {
        FileHandle.standardError.write(Data("\(error.message)\n".utf8))
        throw ExitCode.failure
    }
}
