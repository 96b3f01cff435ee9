/// One product (or release) at one organisation (guide §4.2.3).
public struct ImplementationProject: Hashable, Sendable, Codable, Identifiable {
    public var id: Int64
    /// "<organisation code>-<product code>", with "-R<n>" from the second release on (§4.4.1.6).
    public var code: String
    public var productCode: String
    public var type: ProjectType
    public var organisationID: Int64
    public var supplierID: Int64?
    /// The organisation's ancestry, including the organisation at its own level.
    public var ancestry: Ancestry
    /// Exactly the type's mandatory milestones, in order.
    public var milestones: [Milestone]
    public var version: Int
    /// 1 for the first implementation of the product here; a later release is its own project.
    public var release: Int = 1
    public var state: ProjectState = .live
    /// When, and why, it closed or was cancelled.
    public var stateOn: Day?
    public var stateReason: String?

    public init(id: Int64, code: String, productCode: String, type: ProjectType, organisationID: Int64,
                supplierID: Int64?, ancestry: Ancestry, milestones: [Milestone], version: Int = 1) {
        self.id = id
        self.code = code
        self.productCode = productCode
        self.type = type
        self.organisationID = organisationID
        self.supplierID = supplierID
        self.ancestry = ancestry
        self.milestones = milestones
        self.version = version
    }

    public static func code(organisationCode: String, productCode: String, release: Int = 1) -> String {
        release <= 1 ? "\(organisationCode)-\(productCode)" : "\(organisationCode)-\(productCode)-R\(release)"
    }

    public var isLive: Bool { state == .live }

    public var stage: NSIStage { NSIStage.current(for: milestones) }
    public var isComplete: Bool { milestones.allSatisfy(\.isAchieved) }

    public func milestone(_ kind: MilestoneKind) -> Milestone? { milestones.first { $0.kind == kind } }

    /// How many milestones are achieved; achieved milestones always form a prefix.
    public var achievedCount: Int { milestones.prefix(while: \.isAchieved).count }

    /// Bit `kind.index` is set for each open milestone forecast after its baseline.
    public var lateMask: Int {
        milestones.reduce(0) { $1.isForecastLate ? $0 | (1 << $1.kind.index) : $0 }
    }

    /// The RAG basis stored with the project; slippage counts England and Wales working days.
    public var ragBasis: RAGBasis { RAGBasis(milestones: milestones, calendar: .england) }

    /// The go-live as planned, for sequence checks.
    public var plannedGoLive: SequenceRules.PlannedGoLive {
        let m = milestone(.goLiveCompleted)
        return .init(productCode: productCode, goLive: m?.actual ?? m?.forecast ?? m?.baseline)
    }

    /// A new project carrying exactly its type's mandatory milestones.
    public static func new(id: Int64, organisation: Organisation, productCode: String, type: ProjectType,
                           supplierID: Int64?, baselines: [MilestoneKind: Day], release: Int = 1) -> ImplementationProject {
        var project = ImplementationProject(
            id: id, code: code(organisationCode: organisation.code, productCode: productCode, release: release),
            productCode: productCode, type: type, organisationID: organisation.id, supplierID: supplierID,
            ancestry: organisation.ancestry,
            milestones: type.mandatoryMilestones.map {
                Milestone(kind: $0, baseline: baselines[$0], forecast: baselines[$0], actual: nil)
            })
        project.release = release
        return project
    }
}
