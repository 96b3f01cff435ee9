import Testing
import WaymarkCore

@Suite("Products and sequence rules")
struct SequenceRulesTests {
    typealias Planned = SequenceRules.PlannedGoLive

    static func planned(_ product: String, _ goLive: String?) -> Planned {
        Planned(productCode: product, goLive: goLive.map(day))
    }

    static let inSequence = [planned("N3", "2026-01-05"), planned("RA", "2026-02-02"), planned("CRS", "2026-03-02")]

    // MARK: Catalogue

    @Test func catalogueIsConsistent() throws {
        let codes = ProductCatalogue.all.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.contains(ProductCatalogue.n3) && codes.contains(ProductCatalogue.registration) && codes.contains(ProductCatalogue.crs))
        for product in ProductCatalogue.all {
            #expect(product.id == product.code)
            #expect(product.prerequisites.allSatisfy { codes.contains($0) }, "\(product.code) prerequisites exist")
            #expect(!product.prerequisites.contains(product.code))
            if product.code != ProductCatalogue.n3 {
                #expect(product.prerequisites.contains(ProductCatalogue.n3), "\(product.code) runs over N3")
            }
            if product.crsRelated {
                #expect(product.prerequisites.contains(ProductCatalogue.registration), "\(product.code) needs RA first")
            }
        }
        #expect(ProductCatalogue.product(code: "N3")?.prerequisites == [])
        #expect(try #require(ProductCatalogue.product(code: "cab")).code == "CAB", "lookup ignores case")
        #expect(ProductCatalogue.product(code: "NOPE") == nil)
    }

    // MARK: Warnings

    @Test func inSequenceGivesNoWarnings() {
        for project in Self.inSequence {
            #expect(SequenceRules.warnings(for: project, among: Self.inSequence) == [], "\(project.productCode)")
        }
        let cab = Self.planned("CAB", "2026-06-01")
        #expect(SequenceRules.warnings(for: cab, among: Self.inSequence) == [])
    }

    @Test func crsGoLiveBeforeN3sIsWarned() throws {
        let related = [Self.planned("N3", "2026-06-01"), Self.planned("RA", "2026-04-01")]
        let warnings = SequenceRules.warnings(for: Self.planned("CRS", "2026-05-01"), among: related)
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.prerequisite == "N3")
        #expect(warning.message.contains("2026-05-01") && warning.message.contains("2026-06-01"))
        #expect(warning.message.contains("N3 National Network"))
    }

    @Test func crsBeforeBothN3AndRAGivesTwoWarnings() {
        let related = [Self.planned("N3", "2026-06-01"), Self.planned("RA", "2026-07-01")]
        let warnings = SequenceRules.warnings(for: Self.planned("CRS", "2026-05-01"), among: related)
        #expect(warnings.map(\.prerequisite) == ["N3", "RA"])
    }

    @Test func sameDayGoLiveIsNotOutOfSequence() {
        let related = [Self.planned("N3", "2026-05-01"), Self.planned("RA", "2026-05-01")]
        #expect(SequenceRules.warnings(for: Self.planned("CRS", "2026-05-01"), among: related) == [])
    }

    @Test func earliestPrerequisiteGoLiveCounts() {
        let related = [Self.planned("N3", "2026-09-01"), Self.planned("N3", nil), Self.planned("N3", "2026-01-05"),
                       Self.planned("RA", "2026-02-02")]
        #expect(SequenceRules.warnings(for: Self.planned("CRS", "2026-05-01"), among: related) == [])
        let laterOnly = [Self.planned("N3", "2026-09-01"), Self.planned("N3", "2026-10-01"), Self.planned("RA", "2026-02-02")]
        let warnings = SequenceRules.warnings(for: Self.planned("CRS", "2026-05-01"), among: laterOnly)
        #expect(warnings.map(\.prerequisite) == ["N3"])
        #expect(warnings.first?.message.contains("2026-09-01") == true)
    }

    @Test func undatedGoLivesCannotBeOutOfSequence() {
        let related = [Self.planned("N3", nil), Self.planned("RA", "2026-07-01")]
        #expect(SequenceRules.warnings(for: Self.planned("CRS", nil), among: related) == [])
        #expect(SequenceRules.warnings(for: Self.planned("CRS", "2026-01-01"), among: [Self.planned("N3", nil)] + [Self.planned("RA", nil)]) == [])
    }

    @Test(arguments: ["CAB", "ETP", "GP2GP", "CRS"])
    func crsRelatedProductWithNoRegistrationIsWarned(product: String) throws {
        let related = [Self.planned("N3", "2026-01-05"), Self.planned("CRS", "2026-03-02")]
        let warnings = SequenceRules.warnings(for: Self.planned(product, "2026-06-01"), among: related.filter { $0.productCode != product })
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.prerequisite == "RA")
        #expect(warning.message.contains("No User Registration (RA) project"))
    }

    @Test func cabWithNoRegistrationAnywhereIsWarned() {
        let warnings = SequenceRules.warnings(for: Self.planned("CAB", "2026-06-01"), among: [])
        #expect(warnings.map(\.prerequisite) == ["N3", "RA"], "CRS need not exist, only come first where it does")
    }

    @Test(arguments: ["PACS", "QMAS", "CONTACT"])
    func productNotRelatedToCRSNeedsNoRegistration(product: String) {
        #expect(SequenceRules.warnings(for: Self.planned(product, "2026-06-01"), among: [Self.planned("N3", "2026-01-05")]) == [])
        let noN3 = SequenceRules.warnings(for: Self.planned(product, "2026-06-01"), among: [])
        #expect(noN3.map(\.prerequisite) == ["N3"], "every product still needs N3")
    }

    @Test func pacsWithNoRegistrationHasNoRegistrationWarning() {
        let warnings = SequenceRules.warnings(for: Self.planned("PACS", "2026-06-01"), among: [Self.planned("N3", "2026-01-05")])
        #expect(!warnings.contains { $0.prerequisite == "RA" })
        #expect(warnings.isEmpty)
    }

    @Test func n3HasNoPrerequisitesAndUnknownProductsAreIgnored() {
        #expect(SequenceRules.warnings(for: Self.planned("N3", "2020-01-01"), among: []) == [])
        #expect(SequenceRules.warnings(for: Self.planned("XYZ", "2020-01-01"), among: []) == [])
    }

    @Test func unrelatedProjectsDoNotSatisfyPrerequisites() {
        let related = [Self.planned("PACS", "2026-01-05"), Self.planned("CONTACT", "2026-01-05")]
        #expect(SequenceRules.warnings(for: Self.planned("ETP", "2026-06-01"), among: related).map(\.prerequisite) == ["N3", "RA"])
    }

    @Test func worksFromProjectsPlannedGoLive() {
        var n3 = Fixture.project(.lsp, product: "N3", start: day("2026-06-01"))
        var crs = Fixture.project(.lsp, product: "CRS", start: day("2026-01-05"))
        let ra = Fixture.project(.lsp, product: "RA", start: day("2025-06-02"))
        let warnings = SequenceRules.warnings(for: crs.plannedGoLive, among: [n3.plannedGoLive, ra.plannedGoLive])
        #expect(warnings.map(\.prerequisite) == ["N3"])
        // Re-forecasting the CRS go-live after N3's clears the warning.
        crs.milestones[4].forecast = n3.milestones[4].baseline!.adding(days: 1)
        #expect(SequenceRules.warnings(for: crs.plannedGoLive, among: [n3.plannedGoLive, ra.plannedGoLive]) == [])
        // And an N3 that actually went live early makes an early CRS fine too.
        crs.milestones[4].forecast = crs.milestones[4].baseline
        n3.milestones[4].actual = day("2025-01-06")
        #expect(SequenceRules.warnings(for: crs.plannedGoLive, among: [n3.plannedGoLive, ra.plannedGoLive]) == [])
    }
}
