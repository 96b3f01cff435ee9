/// Believable risks and issues for a generated programme: a few per project, more in the
/// trust, LHC, SHA, cluster and national registers, some escalated or occurred. About 150,000
/// at England scale. Deterministic for a given dataset and day.
struct TrackingGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    /// (area, title, cause, effect); `%@` is the product's name.
    static let templates: [(AreaOfResponsibility, String, String, String)] = [
        (.it, "N3 connection not ready for %@", "The N3 circuit order is behind the BT installation schedule",
         "Go-live cannot proceed without network capacity at the site"),
        (.it, "Interface to the legacy PAS untested for %@", "The supplier's interface build slipped into the testing window",
         "Patient demographics may not flow, forcing manual re-keying"),
        (.it, "Desktop hardware below specification for %@", "Baseline hardware survey found older workstations",
         "Users cannot run the Identity Agent and the new application"),
        (.it, "Data migration rehearsal fails validation", "NHS Numbers in the legacy system are incomplete or unverified",
         "Records may be mismatched after switchover"),
        (.people, "Smartcard registration behind plan for %@", "RA sponsors have not approved access profiles in time",
         "Staff without Smartcards cannot use the system at go-live"),
        (.people, "Basic IT skills gap before %@ training", "Many staff have not reached the ECDL standard",
         "End-user training takes longer and go-live readiness slips"),
        (.people, "Trainers not available for %@ roll-out", "Train-the-trainer courses are oversubscribed",
         "Training cannot finish just before go-live as planned"),
        (.people, "Key clinical lead leaving the %@ project", "The clinical lead has accepted a post elsewhere",
         "Clinical process design decisions stall"),
        (.clinicalAndBusiness, "Clinical safety case incomplete for %@", "Hazard analysis has not covered local workflows",
         "Go-live cannot be authorised on clinical risk grounds"),
        (.clinicalAndBusiness, "Clinicians resist new %@ workflow", "Process changes were not agreed with consultants",
         "Low adoption erodes the expected benefits"),
        (.clinicalAndBusiness, "Business continuity plan untested for %@", "No downtime rehearsal has been scheduled",
         "Services are exposed if the system fails in early live running"),
        (.policy, "Local information governance approval pending for %@", "The Caldicott Guardian has asked for a fuller assessment",
         "Data sharing cannot start on the planned date"),
        (.policy, "Patients' right to limit access not reflected in %@ procedures", "Local policy predates the sealed envelope model",
         "Staff may share information patients asked to restrict"),
        (.processAndPerformance, "Milestone reporting to the SHA is late for %@", "Local planning data is not aligned with the NSI milestones",
         "National roll-up understates progress and triggers escalation"),
        (.processAndPerformance, "Benefits baseline not captured for %@", "Baseline surveys were deprioritised",
         "Benefits cannot be shown after go-live"),
        (.processAndPerformance, "Go-live clashes with winter pressures", "The planned cut-over falls in January",
         "Operational staff cannot be released for switchover"),
        (.contracts, "LSP deployment slot for %@ moved", "The LSP reprioritised its Detailed Implementation Plan",
         "The trust's go-live date moves outside the financial year"),
        (.contracts, "Existing system contract expires before %@ goes live", "The replacement timetable slipped",
         "An expensive extension to the old contract is needed"),
        (.contracts, "Funding for local %@ costs not confirmed", "The SHA has not released local implementation funding",
         "Infrastructure and backfill cannot be procured"),
        (.contracts, "Supplier resource shortfall for %@", "The LSP's deployment team is committed elsewhere in the cluster",
         "Configuration and testing take longer than planned"),
    ]
    static let firstNames = ["Alison", "Ben", "Catherine", "David", "Eleanor", "Farid", "Grace", "Hassan", "Imogen", "James",
                             "Kiran", "Laura", "Mohammed", "Nia", "Owen", "Priya", "Rachel", "Simon", "Tom", "Yvonne"]
    static let surnames = ["Adams", "Bhatt", "Clarke", "Davies", "Evans", "Fletcher", "Gordon", "Hughes", "Iqbal", "Jones",
                           "Khan", "Lewis", "Morgan", "Nolan", "O'Brien", "Patel", "Roberts", "Shaw", "Taylor", "Walsh"]

    func generate() -> [TrackingItem] {
        var random = SplitMix64(seed: 4_462)
        var items: [TrackingItem] = []
        items.reserveCapacity(dataset.projects.count * 5 / 2)
        let byID = Dictionary(uniqueKeysWithValues: dataset.organisations.map { ($0.id, $0) })
        func add(_ item: TrackingItem) -> Int {
            var item = item
            item.id = Int64(items.count + 1)
            items.append(item)
            return items.count - 1
        }
        for project in dataset.projects {
            guard let holder = byID[project.organisationID] else { continue }
            let product = ProductCatalogue.product(code: project.productCode)?.name ?? project.productCode
            let count = [0, 1, 1, 2, 2, 3, 3, 3, 4, 4][random.below(10)]
            for _ in 0..<count {
                _ = add(make(owner: .project(project, heldBy: holder), product: product, random: &random))
            }
        }
        for organisation in dataset.organisations where TrackingRules.holdsRegister(organisation.kind) {
            let count: Int = switch organisation.kind {
            case .national: 40
            case .cluster: 30
            case .sha: 20
            case .lhc: 6
            default: 8
            }
            for _ in 0..<count {
                let product = ProductCatalogue.all[random.below(ProductCatalogue.all.count)].name
                _ = add(make(owner: .organisation(organisation), product: product, random: &random))
            }
        }
        // Some risks occurred (now issues), and some items went up a level.
        let original = items.count
        for index in 0..<original where random.below(100) < 3 {
            if items[index].kind == .risk, items[index].status == .open {
                items[index].status = .occurred
                var issue = TrackingRules.issue(from: items[index], occurredOn: today.adding(days: -random.below(60)), today: today)
                issue.raisedOn = issue.occurredOn!
                let at = add(issue)
                items[index].linkedItemID = items[at].id
            } else if items[index].status == .open, let target = TrackingRules.escalationTarget(of: items[index].owner) {
                let owner: RegisterOwner
                if let id = target.id, let organisation = byID[id] {
                    owner = .organisation(organisation)
                } else if let national = dataset.organisations.first(where: { $0.kind == .national }) {
                    owner = .organisation(national)
                } else { continue }
                items[index].status = .escalated
                items[index].escalationReason = "Cannot be managed locally: needs a decision from the \(owner.organisationKind.title)."
                let at = add(TrackingRules.escalatedCopy(of: items[index], to: owner, reason: items[index].escalationReason, today: today))
                items[index].escalatedToID = items[at].id
            }
        }
        return items
    }

    private func make(owner: RegisterOwner, product: String, random: inout SplitMix64) -> TrackingItem {
        let template = Self.templates[random.below(Self.templates.count)]
        let kind: TrackingKind = random.below(100) < 72 ? .risk : .issue
        let probability = kind == .issue ? 100 : [10, 20, 30, 35, 45, 50, 55, 60, 65, 70, 75, 85][random.below(12)]
        let priority = RiskPriority(rawValue: [1, 2, 2, 3, 3, 3, 4, 4, 5][random.below(9)])!
        let controllability = Controllability.allCases[[0, 1, 1, 1, 2, 2, 3][random.below(7)]]
        let person = { (r: inout SplitMix64) in "\(Self.firstNames[r.below(20)]) \(Self.surnames[r.below(20)])" }
        let raised = today.adding(days: -(14 + random.below(400)))
        var item = TrackingItem(
            kind: kind, owner: owner, title: template.1.replacingPlaceholder(with: product),
            description: "\(template.1.replacingPlaceholder(with: product)). Raised at the \(owner.projectID == nil ? "\(owner.organisationKind.title) board" : "project board").",
            cause: template.2, effect: template.3, area: template.0,
            inherent: Assessment(priority: priority, controllability: controllability, probability: probability),
            proximity: today.adding(days: random.below(240) - 30), ownerName: person(&random),
            reviewDate: today.adding(days: random.below(100) - 20), raisedOn: raised)
        if kind == .issue { item.occurredOn = raised.adding(days: -random.below(10)) }
        // Most risks that need a plan have one; the rest show as flagged.
        let planned = random.below(100) < 85
        if planned && (kind == .issue || item.requiredResponse >= .actionPlan || random.below(2) == 0) {
            for n in 0..<(1 + random.below(2)) {
                item.actions.append(MitigatingAction(
                    description: n == 0 ? "Agree a recovery plan with the supplier" : "Report progress to the project board",
                    owner: person(&random), due: today.adding(days: random.below(90) - 15), done: random.below(4) == 0))
            }
        }
        if planned && item.requiredResponse >= .contingencyPlan {
            item.contingencyPlan = "Hold the previous system in read-only use and move the go-live to the next agreed slot."
        }
        if planned && item.requiredResponse >= .documentedResponse {
            item.response = "Reduce: escalate resourcing to the cluster and review weekly until below 50%."
        }
        if random.below(3) == 0 {
            item.residual = Assessment(priority: RiskPriority(rawValue: min(5, priority.rawValue + 1))!,
                                       controllability: controllability == .a ? .a : Controllability.allCases[Controllability.allCases.firstIndex(of: controllability)! - 1],
                                       probability: max(0, probability - 20))
        }
        if random.below(100) < 15 {
            item.status = .closed
            if kind == .issue { item.resolution = "Resolved by the agreed recovery plan; confirmed at the project board." }
        }
        return item
    }
}

extension String {
    /// The text with its one `%@` replaced (Core has no Foundation).
    func replacingPlaceholder(with value: String) -> String {
        let parts = split(separator: "%@", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[0]) + value + String(parts[1]) : self
    }
}
