import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

struct RollOutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Roll a product out to many sites in waves, from a versioned template.",
        subcommands: [RollOutRun.self, RollOutTemplateCommand.self, RollOutDeviationsCommand.self, RollOutUpgradeCommand.self], defaultSubcommand: RollOutRun.self)
}

struct RollOutRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Preview a roll-out (or, with --apply, create every project in one batch).",
        discussion: """
            Choose the sites with --within CODE (every site below it with no live project of the product yet, optionally
            only --subtype 'GP practice'), or --sites FILE (one site code per line). Each --wave is START:SITES-PER-WEEK.
            """)
    @Argument(help: "The template's code.") var template: String
    @Option(help: "The template version (default the latest).") var version: Int?
    @Option(help: "Roll out to the sites below this organisation.") var within: String?
    @Option(help: "Only sites of this subtype, e.g. 'GP practice'.") var subtype: String?
    @Option(help: "A file of site codes: one per line, or a CSV whose first column is the code.") var sites: String?
    @Option(help: "A wave: START:SITES-PER-WEEK, e.g. 2027-01-04:50. Repeat for each wave.") var wave: [String] = []
    @Flag(help: "Create the projects (otherwise only preview).") var apply = false
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        let service = RollOutService(programme: ProgrammeService(store: store))
        let list = try sites.map { RollOutRequest.siteCodes(try String(contentsOfFile: $0, encoding: .utf8)) }
        let request = RollOutRequest(template: template, version: version, within: within, subtype: subtype, sites: list,
                                     waves: try RollOutRequest.waves(wave.joined(separator: ",")))
        let started = Date()
        let preview = try await service.preview(request, as: .commandLine())
        print("\(preview.template.code) v\(preview.template.version): \(preview.projects.count) projects of \(preview.template.productCode)")
        for wave in preview.waves { print("  wave \(wave.wave): \(wave.sites) sites, starting \(wave.first.iso) to \(wave.last.iso)") }
        guard apply else {
            print("Nothing was written; run again with --apply to create them.")
            return
        }
        let applied = try await service.apply(request, expectedFingerprint: preview.fingerprint, as: .commandLine())
        print("Created \(applied.projects.count) projects in one batch (\(String(format: "%.1f", Date().timeIntervalSince(started))) s).")
    }
}

struct RollOutTemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "Save a roll-out template, or its next version.")
    @Option(help: "The template's code; the same code saves the next version.") var code: String
    @Option(help: "Its name.") var name: String
    @Option(help: "The product code, e.g. CRS.") var product: String
    @Option(help: "lsp or esp (default the product's usual type).") var type: String?
    @Option(help: "Working days from the wave start per milestone, e.g. initiation-commenced=0,go-live-completed=120.") var offsets: String
    @Option(help: "The NSI catalogue version (default the latest).") var catalogueVersion: Int?
    @Option(help: "Mandatory NSI documents, space or comma separated.") var documents: String = ""
    @Option(name: .customLong("plan-task"), help: "A task of the plan skeleton, in order. Repeat for each task.") var planTasks: [String] = []
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        var offsetTable: [String: String] = [:]
        for pair in offsets.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2 else { throw ValidationError("Write each offset as milestone=days, e.g. go-live-completed=120.") }
            offsetTable[String(parts[0]).trimmedWhitespace] = String(parts[1])
        }
        let saved = try await RollOutService(programme: ProgrammeService(store: store)).saveTemplate(TemplateInput(
            code: code, name: name, product: product, type: type, offsets: offsetTable, catalogueVersion: catalogueVersion,
            documents: NewSupplierContract.codes(documents), planTasks: planTasks), as: .commandLine())
        print("Saved \(saved.code) version \(saved.version) (\(saved.productCode), \(saved.type.rawValue.uppercased())).")
    }
}

struct RollOutDeviationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deviations", abstract: "Where projects depart from their template.")
    @Argument(help: "The template's code.") var template: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        let (template, report) = try await RollOutService(programme: ProgrammeService(store: store)).deviations(templateCode: template, as: .commandLine())
        print("\(template.code): \(report.projects) projects, \(report.moved.count) moved baselines, \(report.plans.count) plans unlike the skeleton "
              + "(\(report.withoutPlan) with no plan yet), \(report.documents.count) mandatory documents made obsolete, "
              + "\(report.catalogue.count) on another catalogue version.")
        for moved in report.moved.prefix(200) {
            print("  \(moved.projectCode) \(moved.milestone.rawValue): \(moved.expected.iso) -> \(moved.baseline?.iso ?? "none")\(moved.ccnID.map { " (CCN \($0))" } ?? "")")
        }
        for plan in report.plans.prefix(200) {
            print("  \(plan.projectCode) plan: added \(plan.added.isEmpty ? "none" : plan.added.joined(separator: "; ")), "
                  + "removed \(plan.removed.isEmpty ? "none" : plan.removed.joined(separator: "; "))")
        }
        for document in report.documents.prefix(200) { print("  \(document.projectCode) \(document.productCode): made obsolete") }
    }
}

struct RollOutUpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade", abstract: "Move the projects on older versions of a template to its latest (previews unless --apply).")
    @Argument(help: "The template's code.") var template: String
    @Flag(help: "Move them (otherwise only show the diff).") var apply = false
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        let service = RollOutService(programme: ProgrammeService(store: store))
        let preview = try await service.upgradePreview(templateCode: template, as: .commandLine())
        print("\(preview.template.code) v\(preview.template.version): \(preview.projects) projects on older versions; "
              + "\(preview.moves.count) baselines move, \(preview.keptDeviations.count) deviations keep their dates.")
        for move in preview.moves.prefix(50) { print("  \(move.projectCode) \(move.milestone.rawValue): \(move.from.iso) -> \(move.to.iso)") }
        guard apply else {
            print("Nothing was written; run again with --apply to move them.")
            return
        }
        _ = try await service.upgrade(templateCode: template, expectedFingerprint: preview.fingerprint, as: .commandLine())
        print("Moved \(preview.projects) projects to version \(preview.template.version).")
    }
}
