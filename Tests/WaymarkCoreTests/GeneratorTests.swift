import Testing
import WaymarkCore

@Suite("ProgrammeGenerator")
struct GeneratorTests {
    static func generate(_ scale: DatasetScale = .demo, seed: UInt64 = 2005, on day: Day = today) -> ProgrammeDataset {
        var generator = ProgrammeGenerator(scale: scale, today: day, seed: seed)
        return generator.generate()
    }

    static let demo = generate()

    static func byID(_ dataset: ProgrammeDataset) -> [Int64: Organisation] {
        Dictionary(uniqueKeysWithValues: dataset.organisations.map { ($0.id, $0) })
    }

    /// Each project's supplier is the one its contracts give it (the deepest in force wins), so
    /// a loaded demo needs no re-derivation.
    @Test func everyProjectsSupplierFollowsFromTheContracts() {
        let national = Self.demo.organisations.first { $0.kind == .national }!.id
        for project in Self.demo.projects {
            let derived = SupplierContractRules.supplier(of: project.productCode, at: project.ancestry, nationalID: national,
                                                         on: Day(iso: "2026-11-24")!, among: Self.demo.contracts)
            #expect(derived == project.supplierID, "\(project.code)")
        }
        let practice = Self.demo.contracts.first { $0.depth == 5 }!
        let lsp = Self.demo.contracts.first { $0.depth == 1 }!
        let site = Self.demo.organisations.first { $0.id == practice.organisationID }!
        #expect(SupplierContractRules.supplier(of: "CAB", at: site.ancestry, nationalID: national, on: Day(iso: "2026-11-24")!,
                                               among: Self.demo.contracts) == practice.supplierID, "the practice's ESP beats the cluster's LSP")
        #expect(SupplierContractRules.supplier(of: "CAB", at: site.ancestry, nationalID: national, on: Day(iso: "2003-01-01")!,
                                               among: Self.demo.contracts) == nil, "no contract before the programme began")
        #expect(lsp.products.contains("CAB") && !lsp.products.contains("N3"))
    }

    @Test func sameSeedGivesIdenticalDatasets() {
        let again = Self.generate()
        #expect(again.organisations == Self.demo.organisations)
        #expect(again.contracts == Self.demo.contracts)
        #expect(again.projects == Self.demo.projects)
        #expect(again.milestoneCount == Self.demo.milestoneCount)
    }

    @Test func differentSeedGivesDifferentData() {
        let other = Self.generate(seed: 2006)
        #expect(other.projects != Self.demo.projects)
        #expect(other.organisations.filter { $0.kind == .cluster || $0.kind == .sha }
                == Self.demo.organisations.filter { $0.kind == .cluster || $0.kind == .sha },
                "the geography is fixed; only the random details change")
    }

    @Test func splitMix64IsDeterministicAndBounded() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
        #expect(Set(first).count == 100)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 {
            let value = a.below(7)
            #expect((0..<7).contains(value))
            counts[value] += 1
        }
        #expect(counts.allSatisfy { (800...1_200).contains($0) }, "roughly uniform: \(counts)")
    }

    // MARK: Geography

    @Test func demoHasTheNationalGeography() throws {
        let orgs = Self.demo.organisations
        let byID = Self.byID(Self.demo)
        #expect(orgs.filter { $0.kind == .national }.map(\.code) == ["NPO"])

        let clusters = orgs.filter { $0.kind == .cluster }
        #expect(clusters.count == 5)
        #expect(clusters.map(\.code) == NationalGeography.clusters.map(\.code))
        #expect(clusters.map(\.name) == NationalGeography.clusters.map { "\($0.name) Cluster" })

        let shas = orgs.filter { $0.kind == .sha }
        #expect(shas.count == 28)
        #expect(shas.map(\.name) == NationalGeography.clusters.flatMap(\.shas).map { "\($0.name) SHA" })
        #expect(shas.map(\.code) == (1...28).map { $0 < 10 ? "Q0\($0)" : "Q\($0)" })
        for (cluster, info) in zip(clusters, NationalGeography.clusters) {
            let children = shas.filter { $0.parentID == cluster.id }
            #expect(children.map(\.name) == info.shas.map { "\($0.name) SHA" })
            let parentID = try #require(cluster.parentID)
            #expect(byID[parentID]?.kind == .national)
        }
        #expect(orgs.filter { $0.kind == .lhc }.count == 28 * DatasetScale.demo.lhcsPerSHA)
    }

    @Test func suppliersAndCoverage() throws {
        let suppliers = Self.demo.organisations.filter { $0.kind == .supplier }
        #expect(suppliers.map(\.code) == NationalGeography.suppliers.map(\.code))
        #expect(suppliers.map(\.supplierRole) == NationalGeography.suppliers.map(\.role))
        #expect(suppliers.allSatisfy { $0.parentID == nil && $0.ancestry == Ancestry() })
        let byID = Self.byID(Self.demo)
        let byCode = Dictionary(uniqueKeysWithValues: Self.demo.organisations.map { ($0.code, $0) })
        for info in NationalGeography.clusters {
            let cluster = try #require(byCode[info.code])
            let lsps = Self.demo.contracts.filter { $0.organisationID == cluster.id }.map(\.supplierID)
            #expect(lsps == [try #require(byCode[info.lspCode]).id], "\(info.name) is covered by its LSP")
        }
        for coverage in Self.demo.contracts {
            #expect(byID[coverage.supplierID]?.kind == .supplier)
            #expect(byID[coverage.organisationID] != nil)
        }
        #expect(Set(Self.demo.contracts.map(\.reference)).count == Self.demo.contracts.count)
    }

    @Test func organisationCodesAndIDsAreUnique() {
        let orgs = Self.demo.organisations
        #expect(Set(orgs.map(\.code)).count == orgs.count)
        let ids = orgs.map(\.id) + Self.demo.projects.map(\.id)
        #expect(Set(ids).count == ids.count, "organisations and projects draw ids from one sequence")
    }

    /// ODS-style codes: upper-case letters and digits only, so they are safe in URLs, CSV and file names.
    @Test func organisationCodesAreUpperCaseAlphanumeric() {
        let bad = Self.demo.organisations.map(\.code).filter { code in
            code.isEmpty || !code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        }
        #expect(bad.isEmpty, "\(bad.prefix(10))")
    }

    @Test func parentsComeBeforeChildrenAndAncestryExtendsTheParents() throws {
        var seen: [Int64: Organisation] = [:]
        for org in Self.demo.organisations {
            if let parentID = org.parentID {
                let parent = try #require(seen[parentID], "\(org.code)'s parent comes first")
                #expect(parent.kind.childKind == org.kind, "\(org.code) sits one level below \(parent.code)")
                #expect(org.ancestry == parent.ancestry.extended(with: org.id, kind: org.kind), "\(org.code)")
                #expect(parent.ancestry.ids.allSatisfy { org.ancestry.ids.contains($0) })
            } else {
                #expect(org.kind == .national || org.kind == .supplier)
                #expect(org.ancestry == Ancestry())
            }
            if org.kind != .national && org.kind != .supplier {
                #expect(org.ancestry.id(at: org.kind) == org.id, "ancestry includes the organisation itself")
            }
            seen[org.id] = org
        }
    }

    // MARK: Projects

    @Test func projectCodesAreUniqueAndNameOrganisationAndProduct() throws {
        let byID = Self.byID(Self.demo)
        let projects = Self.demo.projects
        #expect(Set(projects.map(\.code)).count == projects.count)
        for project in projects {
            let org = try #require(byID[project.organisationID])
            #expect(project.code == "\(org.code)-\(project.productCode)")
            #expect(org.kind == .site)
            #expect(project.ancestry == org.ancestry)
            #expect(ProductCatalogue.product(code: project.productCode) != nil)
            let supplierID = try #require(project.supplierID)
            let supplier = try #require(byID[supplierID])
            #expect(supplier.kind == .supplier)
            #expect(project.version == 1)
        }
        #expect(Set(projects.map(\.type)) == [.lsp, .esp], "both delivery models appear")
    }

    @Test func everyProjectCarriesExactlyItsTypesMilestonesWithBaselines() {
        for project in Self.demo.projects {
            #expect(project.milestones.map(\.kind) == project.type.mandatoryMilestones, "\(project.code)")
            let baselines = project.milestones.compactMap(\.baseline)
            #expect(baselines.count == project.milestones.count, "\(project.code) has every baseline")
            #expect(zip(baselines, baselines.dropFirst()).allSatisfy { $0 < $1 }, "\(project.code) baselines increase")
            #expect(project.milestones.allSatisfy { $0.isAchieved || $0.forecast != nil }, "open milestones have forecasts")
        }
    }

    @Test func actualsArePastAnOrderedPrefix() throws {
        for project in Self.demo.projects {
            let actuals = project.milestones.map(\.actual)
            #expect(actuals.compactMap { $0 }.allSatisfy { $0 <= today }, "\(project.code) has no future actual")
            let achieved = project.achievedCount
            #expect(actuals.dropFirst(achieved).allSatisfy { $0 == nil }, "\(project.code) actuals form a prefix")
            let dates = actuals.prefix(achieved).compactMap { $0 }
            #expect(zip(dates, dates.dropFirst()).allSatisfy { $0 <= $1 }, "\(project.code) actuals do not go backwards")
        }
    }

    /// Replaying every generated project's dates through MilestoneRules onto a blank copy is accepted.
    @Test func milestoneRulesAcceptEveryGeneratedProject() {
        var rejected: [String] = []
        for project in Self.demo.projects {
            var blank = project
            for index in blank.milestones.indices {
                blank.milestones[index].actual = nil
                blank.milestones[index].forecast = nil
            }
            var changes: [MilestoneKind: MilestoneDates] = [:]
            for m in project.milestones { changes[m.kind] = MilestoneDates(forecast: m.forecast, actual: m.actual) }
            do {
                let replayed = try MilestoneRules.apply(changes, to: blank, today: today)
                if replayed.milestones.map(\.actual) != project.milestones.map(\.actual) { rejected.append(project.code) }
            } catch {
                rejected.append("\(project.code): \(error.summary)")
            }
        }
        #expect(rejected.isEmpty, "\(rejected.prefix(5))")
    }

    @Test func demoDataHasAVarietyOfStatesAndStages() {
        let projects = Self.demo.projects
        let rule = RAGRule()
        let statuses = Set(projects.map { rule.status(of: $0.milestones, today: today).status })
        #expect(statuses == Set(RAGStatus.allCases))
        #expect(Set(projects.map(\.stage)) == Set(NSIStage.allCases))
        #expect(Set(projects.filter { $0.type == .esp }.map(\.stage)).isSubset(of: [.prepare, .localDesign, .support]))
        #expect(projects.contains { $0.lateMask != 0 })
        #expect(Set(projects.map(\.productCode)) == Set(ProductCatalogue.all.map(\.code)).subtracting(["QMAS"]),
                "every product but QMAS, which the generator does not deliver")
    }

    @Test func datesMoveWithToday() throws {
        let later = Self.generate(on: today.adding(days: 365))
        // The structure is the same; random details (names, slips) may differ, as they depend on `today` too.
        #expect(later.organisations.map(\.code) == Self.demo.organisations.map(\.code))
        #expect(later.projects.map(\.code) == Self.demo.projects.map(\.code))
        let first = try #require(later.projects.first?.milestones.first?.baseline)
        let original = try #require(Self.demo.projects.first?.milestones.first?.baseline)
        #expect(first > original)
    }

    // MARK: National scale

    @Test func englandScaleIsNationalSize() {
        let england = Self.generate(.england)
        let sites = england.organisations.filter { $0.kind == .site }.count
        #expect((9_000...11_000).contains(sites), "\(sites) sites")
        #expect((55_000...65_000).contains(england.projects.count), "\(england.projects.count) projects")
        #expect(england.organisations.filter { $0.kind == .sha }.count == 28)
        #expect(england.organisations.filter { $0.kind == .cluster }.count == 5)
        #expect(Set(england.organisations.map(\.code)).count == england.organisations.count, "organisation codes unique")
        #expect(Set(england.projects.map(\.code)).count == england.projects.count, "project codes unique")
        #expect(england.projects.allSatisfy { $0.milestones.map(\.kind) == $0.type.mandatoryMilestones })
        #expect(england.projects.allSatisfy { $0.milestones.allSatisfy { ($0.actual ?? today) <= today } })
    }
}

@Suite("Generated sequencing")
struct GeneratedSequencingTests {
    @Test("most demo projects follow the natural sequence, and some are flagged out of it")
    func mostlyInSequence() {
        var generator = ProgrammeGenerator(scale: .demo, today: Day(iso: "2026-11-24")!)
        let dataset = generator.generate()
        let byOrganisation = Dictionary(grouping: dataset.projects, by: \.organisationID)
        var flagged = 0
        for project in dataset.projects {
            let places = Set(project.ancestry.ids + [project.organisationID])
            let related = places.flatMap { byOrganisation[$0] ?? [] }.filter { $0.id != project.id }.map(\.plannedGoLive)
            if !SequenceRules.warnings(for: project.plannedGoLive, among: related).isEmpty { flagged += 1 }
        }
        let share = Double(flagged) / Double(dataset.projects.count)
        #expect(share > 0.01, "some projects are out of sequence (\(flagged))")
        #expect(share < 0.25, "most are in sequence (\(flagged) of \(dataset.projects.count) flagged)")
    }
}
