import ArgumentParser
import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load generated programme data into a new, empty database.",
        discussion: """
            --demo loads a browsable programme: the five 2005 clusters and 28 SHAs with their LSPs,
            and about 50 LHCs with their trusts, sites and projects.
            --scale england loads the national scale: about 10,000 sites and 60,000 projects.
            Loading is all or nothing, and refuses a database that already holds data.
            """)

    @Flag(help: "Load the demo programme.") var demo = false
    @Option(help: ArgumentHelp("Load a dataset at scale: england.", valueName: "scale")) var scale: String?
    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard demo != (scale != nil) else { throw ValidationError("Give exactly one of --demo or --scale england.") }
        if let scale, scale != "england" { throw ValidationError("Unknown scale '\(scale)'; the only scale is 'england'.") }
    }

    func run() async throws {
        let store = try await StoreOpener.open(options.url)
        let summary = try await Self.load(scale == "england" ? .england : .demo, into: store, label: scale ?? "demo")
        print(summary)
        if demo { print(try await Self.demoDocuments(into: store)) }
    }

    /// Documents from the templates, gates and hazards for projects at every gate state.
    static func demoDocuments(into store: any WaymarkStore) async throws -> String {
        let projects = try await DemoDocuments.populate(programme: ProgrammeService(store: store))
        return "Drafted, approved and gated NSI documents for \(projects) demo projects at every stage-gate state."
    }

    /// Generates and loads a dataset with a progress bar; returns a one-line summary.
    static func load(_ scale: DatasetScale, into store: any WaymarkStore, label: String) async throws -> String {
        let started = Date()
        var generator = ProgrammeGenerator(scale: scale, today: today)
        let dataset = generator.generate()
        let bar = ProgressBar("Seeding \(label)")
        try await store.load(dataset) { done, total in bar.update(done, total) }
        bar.finish()
        return "Loaded \(dataset.organisations.count.formatted()) organisations, \(dataset.projects.count.formatted()) projects, "
            + "\(dataset.milestoneCount.formatted()) milestones and \(dataset.tracking.count.formatted()) risks and issues "
            + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s."
    }
}
