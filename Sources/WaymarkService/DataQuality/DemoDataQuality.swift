import Foundation
import WaymarkCore
import WaymarkStorage

/// The demo's data quality (issue 14): each of the demo trust's LSP CRS projects gets three
/// monthly checks of a generated extract, cleaner each time, and two migration loads, through
/// the same service as the pages, each dated by a clock set to its day.
public enum DemoDataQuality {
    public static func run(programme: ProgrammeService) async throws -> String {
        let store = programme.store
        guard let (trust, projects) = try await crsProjects(in: store, limit: 5) else { return "" }
        let user = ActingUser.commandLine(origin: "demo seed")
        let today = programme.clock.today
        for (index, project) in projects.enumerated() {
            for (month, invalidInTen) in [(2, 3), (1, 2), (0, 1)] {
                let dated = DataQualityService(programme: ProgrammeService(store: store, clock: .fixed(today.adding(days: -28 * month))))
                let extract = Data(Self.extract(rows: 1200, invalidPerHundred: invalidInTen * 2 + index, seed: UInt64(project.id * 10 + Int64(month))).utf8)
                _ = try await dated.check(projectCode: project.code, as: user) { reader in
                    try extract.withUnsafeBytes { try reader.read($0) }
                }
            }
            let service = DataQualityService(programme: programme)
            for (name, days, migrated, verified, rejected) in [("Trial load 1", -40, 118_000, 112_500, 2_900), ("Trial load 2", -12, 121_400, 120_100, 640)] {
                _ = try await service.recordLoad(projectCode: project.code, NewMigrationLoad(
                    name: name, loadedOn: today.adding(days: days).iso, migrated: String(migrated), verified: String(verified), rejected: String(rejected)), as: user)
            }
        }
        return projects.isEmpty ? "" : "Checked data quality three times and recorded two migration loads for \(projects.count) CRS projects at \(trust.name)."
    }

    /// The demo trust (the one its project manager works at) and its first LSP CRS projects.
    static func crsProjects(in store: any WaymarkStore, limit: Int) async throws -> (Organisation, [ImplementationProject])? {
        guard let trust = try await DemoUsers.plan(in: store).first(where: { $0.role == .trustProjectManager })?.organisation else { return nil }
        let query = ProjectQuery(scope: .national, within: trust, productCode: ProductCatalogue.crs, type: .lsp, limit: limit)
        return (trust, try await store.projects(query).items.map(\.project))
    }

    /// A generated extract: NHS Numbers, some wrong or missing, and a few empty demographic cells.
    static func extract(rows: Int, invalidPerHundred: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        var text = "NHS Number,Family name,Given name,Date of birth,Postcode\n"
        for row in 0..<rows {
            let nine = (0..<9).map { _ in random.below(10) }
            let check = NHSNumber.checkDigit(nine) ?? 0
            let wrong = random.below(100) < invalidPerHundred
            let number = random.below(100) == 0 ? "" : nine.map(String.init).joined() + String(wrong ? (check + 1) % 10 : check)
            text += "\(number),Surname\(row % 311),\(random.below(30) == 0 ? "" : "Given\(row % 57)"),19\(40 + row % 60)-0\(1 + row % 9)-2\(row % 8),"
                + (random.below(25) == 0 ? "" : "NG\(1 + row % 20) \(row % 9)AB") + "\n"
        }
        return text
    }
}
