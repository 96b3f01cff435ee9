import Foundation
import WaymarkCore
import WaymarkStorage

/// The demo programme, set up the way a programme office sets up its own (issue 13): its
/// suppliers added, its hierarchy imported from an ODS extract, and its supplier contracts
/// made, each through the same service as the pages and the API. Then its history (projects
/// with years of milestone dates, registers, lessons, change control) is generated and loaded
/// against the IDs Waymark gave. DemoSetUp then rolls out and creates DIPs.
public enum DemoProgramme {
    /// Builds the demo in an empty store. The first write records `seed` as started, so a crash
    /// part way leaves a partial seed that the next start discards.
    public static func build(into store: any WaymarkStore, seed: String, today: Day,
                             progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> String {
        let started = Date()
        var plan = ProgrammeGenerator(scale: .demo, today: today)
        let generated = plan.generate()
        guard let national = generated.organisations.first(where: { $0.kind == .national }) else { return "The demo has no programme." }
        var programmeOnly = ProgrammeDataset()
        programmeOnly.organisations = [national]
        try await store.load(programmeOnly, seed: seed, progress: nil)

        let programme = ProgrammeService(store: store)
        let user = ActingUser.commandLine(origin: "demo seed")
        let organisations = OrganisationService(programme: programme)
        let suppliers = generated.organisations.filter { $0.kind == .supplier }
        for supplier in suppliers {
            _ = try await organisations.create(OrganisationChange(code: supplier.code, name: supplier.name, kind: "supplier",
                                                                  supplierRole: supplier.supplierRole?.rawValue, openedOn: programmeStart.iso), as: user)
        }
        let hierarchy = generated.organisations.filter { $0.kind != .national && $0.kind != .supplier }.map { organisation in
            var opened = organisation
            opened.openedOn = programmeStart
            return opened
        }
        let extract = Data(OrganisationImport.extract(hierarchy, parentCodes: [national.id: national.code]).utf8)
        let preview = try await organisations.previewImport(extract, as: user)
        _ = try await organisations.applyImport(extract, expectedFingerprint: preview.fingerprint, as: user)

        let codes = Dictionary(uniqueKeysWithValues: generated.organisations.map { ($0.id, $0.code) })
        let contracts = SupplierContractService(programme: programme)
        for contract in generated.contracts {
            _ = try await contracts.create(NewSupplierContract(
                reference: contract.reference, supplier: codes[contract.supplierID] ?? "", organisation: codes[contract.organisationID] ?? "",
                products: contract.products, startsOn: contract.startsOn.iso, endsOn: contract.endsOn?.iso), as: user)
        }

        // The same generator again, now numbering organisations as Waymark did.
        var history = ProgrammeGenerator(scale: .demo, today: today)
        history.organisationIDs = try await store.organisationsByCode().mapValues(\.id)
        let dataset = history.generate()
        try await store.loadRecords(dataset, progress: progress)
        return "Added \(suppliers.count) suppliers, imported \(hierarchy.count) organisations from an ODS extract and made "
            + "\(generated.contracts.count) supplier contracts through the services; loaded \(dataset.projects.count.formatted()) projects, "
            + "\(dataset.milestoneCount.formatted()) milestones and \(dataset.tracking.count.formatted()) risks and issues "
            + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s."
    }

    /// When the demo's organisations open and its contracts start.
    static let programmeStart = Day(year: 2004, month: 1, day: 1)!
}
