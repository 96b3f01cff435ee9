/// Everything a seed writes: organisations (parents before children), supplier contracts and projects.
public struct ProgrammeDataset: Sendable {
    /// An empty dataset, to fill with only what a load needs.
    public init() {}
    public var organisations: [Organisation] = []
    /// Who delivers what where; each project's supplier follows from these (SupplierContractRules).
    public var contracts: [SupplierContract] = []
    public var projects: [ImplementationProject] = []
    /// Risks and issues in every register level (issue 4).
    public var tracking: [TrackingItem] = []
    public var lessons: [Lesson] = []
    /// Change Review Boards, Change Control Notes and Detailed Implementation Plans.
    public var changeControl = ChangeControlRecords()
    /// Surveys, checklists, data-quality checks and ORRs, at national scale only (the demo
    /// builds its own through the services).
    public var readiness = ReadinessRecords()
    /// Staff, registrations and training (issue 15), at every scale.
    public var people = PeopleRecords()

    public var milestoneCount: Int { projects.reduce(0) { $0 + $1.milestones.count } }
}

/// Sizes of generated data. `demo` is a browsable programme; `england` is the national scale
/// (~10,000 sites and ~60,000 projects).
public struct DatasetScale: Sendable, Hashable {
    public var lhcsPerSHA: Int
    public var practicesPerPCT: Int
    public var hospitalsPerAcuteTrust: Int
    /// Whether to generate readiness records (`ReadinessGenerator`).
    public var readiness = false

    /// About how many NHS staff to generate.
    public var staff = 600
    public static let demo = DatasetScale(lhcsPerSHA: 2, practicesPerPCT: 4, hospitalsPerAcuteTrust: 2)
    public static let england = DatasetScale(lhcsPerSHA: 11, practicesPerPCT: 29, hospitalsPerAcuteTrust: 3, readiness: true, staff: 800_000)
}

/// Deterministic for a given scale, seed and `today`, so tests and benchmarks can rely on it.
public struct ProgrammeGenerator {
    public var scale: DatasetScale
    public var today: Day
    public var calendar = WorkingCalendar.england
    /// IDs an organisation already has in Waymark, by code (the demo imports its hierarchy
    /// through the services first); others are numbered as generated.
    public var organisationIDs: [String: Int64] = [:]
    private var random: SplitMix64
    private var data = ProgrammeDataset()
    private var nextID: Int64 = 1
    private var suppliersByCode: [String: Organisation] = [:]
    private var trustCodeCounter = 0
    private var practiceCounter = 0
    private var lhcCounter = 0
    private var siteBase: [Int64: Day] = [:]

    public init(scale: DatasetScale, today: Day, seed: UInt64 = 2005) {
        self.scale = scale
        self.today = today
        self.random = SplitMix64(seed: seed)
    }

    public mutating func generate() -> ProgrammeDataset {
        let national = add(code: "NPO", name: "National Programme for IT", kind: .national, parent: nil)
        for info in NationalGeography.suppliers {
            suppliersByCode[info.code] = add(code: info.code, name: info.name, kind: .supplier, parent: nil, role: info.role)
        }
        // One national supplier per national product, as the contracts allow: BT for N3, Cable
        // and Wireless for Contact. The Spine and QMAS suppliers deliver no project product.
        for (code, role) in [("SBTN", SupplierRole.nisp), ("SCWC", .nasp)] {
            contract(suppliersByCode[code]!, at: national, products: ProductCatalogue.all.filter { $0.supplierRole == role }.map(\.code))
        }
        var shaNumber = 0
        for clusterInfo in NationalGeography.clusters {
            let cluster = add(code: clusterInfo.code, name: "\(clusterInfo.name) Cluster", kind: .cluster, parent: national)
            let lsp = suppliersByCode[clusterInfo.lspCode]!
            contract(lsp, at: cluster, products: ProductCatalogue.all.filter { [.lsp, .esp].contains($0.supplierRole) }.map(\.code))
            for shaInfo in clusterInfo.shas {
                shaNumber += 1
                let sha = add(code: "Q" + pad(shaNumber, 2), name: "\(shaInfo.name) SHA", kind: .sha, parent: cluster)
                generateLHCs(in: sha, info: shaInfo, shaNumber: shaNumber, lsp: lsp)
            }
        }
        // The Tracking Database and change control follow from the programme just built.
        data.tracking = TrackingGenerator(dataset: data, today: today).generate()
        data.lessons = LessonGenerator(dataset: data, today: today).generate()
        data.changeControl = ChangeControlGenerator(dataset: data, today: today).generate()
        if scale.readiness { data.readiness = ReadinessGenerator(dataset: data, today: today).generate() }
        data.people = Self.people(for: data, scale: scale, today: today)
        return data
    }

    /// The people records for `data` at `scale` alone (the bench times their load by itself).
    public static func people(for data: ProgrammeDataset, scale: DatasetScale, today: Day) -> PeopleRecords {
        PeopleGenerator(dataset: data, today: today, staffTarget: scale.staff, behindTrustID: scale.readiness ? nil : behindTrust(in: data)).generate()
    }

    /// The demo's trust that is short of trained users: the trust of its first CRS project
    /// from an LSP, where the demo users sit.
    static func behindTrust(in data: ProgrammeDataset) -> Int64? {
        data.projects.first { $0.type == .lsp && $0.productCode == ProductCatalogue.crs && $0.supplierID != nil }?.ancestry.trustID
    }

    private mutating func generateLHCs(in sha: Organisation, info: NationalGeography.SHAInfo, shaNumber: Int, lsp: Organisation) {
        // A letter and five digits; the alphabet runs out at SHA 27, so later SHAs reuse it with 9 for 8.
        let practicePrefix = "\(Character(UnicodeScalar(UInt8(65 + (shaNumber - 1) % 26))))\(8 + (shaNumber - 1) / 26)"
        for index in 0..<scale.lhcsPerSHA {
            let town = info.towns[index % info.towns.count]
                + NationalGeography.districtSuffixes[(index / info.towns.count) % NationalGeography.districtSuffixes.count]
            lhcCounter += 1
            let lhc = add(code: "L" + pad(lhcCounter, 3),
                          name: "\(town) Local Health Community", kind: .lhc, parent: sha)
            let pct = add(code: nextTrustCode(prefix: "5"), name: "\(town) Primary Care Trust", kind: .trust,
                          parent: lhc, subtype: "primary care trust")
            for _ in 0..<scale.practicesPerPCT {
                practiceCounter += 1
                let street = NationalGeography.streets[random.below(NationalGeography.streets.count)]
                let kind = NationalGeography.practiceKinds[random.below(NationalGeography.practiceKinds.count)]
                let practice = add(code: "\(practicePrefix)\(pad(practiceCounter % 10000, 4))",
                                   name: "\(street) \(kind), \(town)", kind: .site, parent: pct, subtype: "GP practice")
                addGPPracticeProjects(at: practice, lsp: lsp)
            }
            let clinic = add(code: pct.code + "01", name: "\(town) Community Clinic", kind: .site, parent: pct, subtype: "clinic")
            addProjects(at: clinic, products: ["N3", "RA", "CRS"], lsp: lsp)

            let acute = add(code: nextTrustCode(prefix: "R"),
                            name: index % 2 == 0 ? "\(town) Hospitals NHS Trust" : "\(town) and District NHS Foundation Trust",
                            kind: .trust, parent: lhc, subtype: index % 2 == 0 ? "acute trust" : "foundation trust")
            for h in 0..<scale.hospitalsPerAcuteTrust {
                let name = NationalGeography.hospitalNames[(index + h) % NationalGeography.hospitalNames.count]
                let hospital = add(code: acute.code + pad(h + 1, 2), name: "\(town) \(name)", kind: .site,
                                   parent: acute, subtype: "hospital")
                addProjects(at: hospital, products: ["N3", "RA", "CRS", "PACS", "CAB", "CONTACT"], lsp: lsp)
            }
            if index % 3 == 2 {
                let mh = add(code: nextTrustCode(prefix: "R"), name: "\(town) Mental Health NHS Trust", kind: .trust,
                             parent: lhc, subtype: "mental health trust")
                for s in 0..<2 {
                    let site = add(code: mh.code + pad(s + 1, 2),
                                   name: s == 0 ? "\(town) Mental Health Unit" : "\(town) Community Mental Health Centre",
                                   kind: .site, parent: mh, subtype: "clinic")
                    addProjects(at: site, products: ["N3", "RA", "CRS", "CONTACT"], lsp: lsp)
                }
            }
            if index == 0 {
                let shaShort = info.name.split(separator: ",").first.map(String.init) ?? info.name
                let ambulance = add(code: nextTrustCode(prefix: "R"), name: "\(shaShort) Ambulance Service NHS Trust",
                                    kind: .trust, parent: lhc, subtype: "ambulance trust")
                let hq = add(code: ambulance.code + "01", name: "\(shaShort) Ambulance Headquarters", kind: .site,
                             parent: ambulance, subtype: "headquarters")
                addProjects(at: hq, products: ["N3", "RA", "CRS"], lsp: lsp)
            }
        }
    }

    private mutating func addGPPracticeProjects(at practice: Organisation, lsp: Organisation) {
        // Most practices take the LSP's GP system; about one in ten stay on their existing
        // compliant system (ESP), which delivers the national applications instead.
        let esp = random.below(10) == 0 ? espSupplier() : nil
        let espProducts = ["CAB", "ETP", "GP2GP"]
        if let esp { contract(esp, at: practice, products: espProducts) }
        for product in ["N3", "RA", "CRS", "CAB", "ETP", "GP2GP"] {
            let viaESP = esp != nil && espProducts.contains(product)
            let supplier = product == ProductCatalogue.n3 ? suppliersByCode["SBTN"]! : viaESP ? esp! : lsp
            addProject(at: practice, product: product, type: viaESP ? .esp : .lsp, supplier: supplier)
        }
    }

    private mutating func addProjects(at site: Organisation, products: [String], lsp: Organisation) {
        for code in products {
            let product = ProductCatalogue.product(code: code)!
            let supplier: Organisation = switch product.supplierRole {
            case .nisp: suppliersByCode["SBTN"]!
            case .nasp: suppliersByCode["SCWC"]!
            case .esp, .lsp: lsp
            }
            addProject(at: site, product: code, type: product.defaultType, supplier: supplier)
        }
    }

    private mutating func espSupplier() -> Organisation {
        let esps = ["SEMI", "STPP", "SINP", "SISO"]
        return suppliersByCode[esps[random.below(esps.count)]]!
    }

    private mutating func addProject(at site: Organisation, product: String, type: ProjectType, supplier: Organisation) {
        // Each site plans its go-lives in the natural sequence (N3, registration, the CRS, then
        // the rest) about four months apart; about one project in fifteen is pulled early, out
        // of sequence, as happens in real programmes. Earlier milestones are planned back from
        // go-live, so every product's go-live lands where the site planned it.
        let rank = ["N3": 0, "RA": 1, "CRS": 2][product] ?? 3
        let base: Day
        if let known = siteBase[site.id] {
            base = known
        } else {
            base = today.adding(days: -700 + random.below(1000))
            siteBase[site.id] = base
        }
        var planned = base.adding(days: rank * 120 + random.below(40))
        if random.below(15) == 0 { planned = planned.adding(days: -150) }
        let goLive = calendar.adding(workingDays: 1, to: planned.adding(days: -1))
        var baselines: [MilestoneKind: Day] = [.goLiveCompleted: goLive]
        var date = goLive
        for kind in type.mandatoryMilestones.reversed() where kind < .goLiveCompleted {
            date = calendar.adding(workingDays: -((type == .lsp ? 30 : 60) + random.below(60)), to: date)
            baselines[kind] = date
        }
        if type.mandatoryMilestones.contains(.implementationCompleted) {
            baselines[.implementationCompleted] = calendar.adding(workingDays: 30 + random.below(60), to: goLive)
        }
        var project = ImplementationProject.new(id: nextID, organisation: site, productCode: product, type: type,
                                                supplierID: supplier.id, baselines: baselines)
        nextID += 1
        // Most milestones hold their dates; some slip, a few come in early. Baselines are at
        // least 30 working days apart, so actual dates stay in order.
        var open = false
        for index in project.milestones.indices {
            let roll = random.below(25)
            let slip = roll < 20 ? 0 : roll < 23 ? 1 + random.below(15) : -(1 + random.below(3))
            let baseline = project.milestones[index].baseline!
            let expected = calendar.adding(workingDays: slip, to: baseline)
            // A few projects fall behind: a milestone whose date has passed is still open.
            if !open && expected <= today && random.below(40) != 0 {
                project.milestones[index].actual = expected
                project.milestones[index].forecast = expected
            } else {
                open = true
                // Most teams keep forecasts current; a few leave a passed forecast, which shows red.
                project.milestones[index].forecast = expected < today && random.below(8) != 0
                    ? calendar.adding(workingDays: 5 + random.below(20), to: today) : expected
            }
        }
        data.projects.append(project)
    }

    private mutating func add(code: String, name: String, kind: OrganisationKind, parent: Organisation?,
                              subtype: String? = nil, role: SupplierRole? = nil) -> Organisation {
        // Counted either way, so project IDs do not depend on the map.
        let id = organisationIDs[code] ?? nextID
        nextID += 1
        let ancestry = (parent?.ancestry ?? Ancestry()).extended(with: id, kind: kind)
        let organisation = Organisation(id: id, code: code, name: name, kind: kind, subtype: subtype,
                                        parentID: parent?.id, supplierRole: role, ancestry: ancestry)
        data.organisations.append(organisation)
        return organisation
    }

    /// Contracts in the generated programme all date from the programme's start.
    private mutating func contract(_ supplier: Organisation, at organisation: Organisation, products: [String]) {
        data.contracts.append(SupplierContract(
            id: Int64(data.contracts.count + 1), reference: "\(supplier.code)-\(organisation.code)", supplierID: supplier.id,
            organisationID: organisation.id, depth: organisation.kind.contractDepth ?? 0, products: products,
            startsOn: Day(year: 2004, month: 1, day: 1)!))
    }

    private mutating func nextTrustCode(prefix: Character) -> String {
        let letters = Array("ABCDEFGHJKLMNPQRTVWXY")
        defer { trustCodeCounter += 1 }
        let n = trustCodeCounter
        return "\(prefix)\(letters[(n / letters.count) % letters.count])\(letters[n % letters.count])"
            + (n >= letters.count * letters.count ? String(n / (letters.count * letters.count)) : "")
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// A small, fast, seedable PRNG (SplitMix64), so generated data is identical on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
