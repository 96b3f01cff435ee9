/// The Operational Readiness Report (§4.4.1.4): a project's readiness for Go Live as it stood
/// at one moment, assembled from live data. `ReadinessInputs` is what was read; a report keeps
/// it as an immutable snapshot whose hash the Project Board signs. See docs/design/readiness.md.
public struct ReadinessInputs: Hashable, Sendable, Codable {
    public struct Survey: Hashable, Sendable, Codable {
        public var kind: SurveyKind
        /// nil: not answered yet.
        public var overall: ReadinessRating?
        public var version: Int
        public var signedOff: Bool
        /// The questions rated below ready with no action, risk or issue.
        public var openFindings: [String]

        public init(kind: SurveyKind, overall: ReadinessRating?, version: Int, signedOff: Bool, openFindings: [String]) {
            self.kind = kind
            self.overall = overall
            self.version = version
            self.signedOff = signedOff
            self.openFindings = openFindings
        }
    }

    /// Open risks or issues of one priority in the project's register.
    public struct RegisterCount: Hashable, Sendable, Codable {
        public var kind: TrackingKind
        public var priority: RiskPriority
        public var open: Int
        public init(kind: TrackingKind, priority: RiskPriority, open: Int) {
            self.kind = kind
            self.priority = priority
            self.open = open
        }
    }

    /// A showstopper or significant item, listed by name.
    public struct RegisterItem: Hashable, Sendable, Codable {
        public var reference: String
        public var title: String
        public var priority: RiskPriority
        public init(reference: String, title: String, priority: RiskPriority) {
            self.reference = reference
            self.title = title
            self.priority = priority
        }
    }

    public struct Safety: Hashable, Sendable, Codable {
        public var openHazards: Int
        /// References of open hazards above an acceptable residual rating.
        public var blocking: [String]
        public var signedBy: String?
        public var signedAt: String?
        /// The sign-off covers the hazard log as it is now.
        public var signOffCurrent: Bool
        public init(openHazards: Int, blocking: [String], signedBy: String?, signedAt: String?, signOffCurrent: Bool) {
            self.openHazards = openHazards
            self.blocking = blocking
            self.signedBy = signedBy
            self.signedAt = signedAt
            self.signOffCurrent = signOffCurrent
        }
        /// What the Go Live gate asks of clinical safety: nothing blocking, or a current sign-off.
        public var isMet: Bool { blocking.isEmpty || signOffCurrent }
    }

    public struct DataQualityPoint: Hashable, Sendable, Codable {
        public var checkedOn: Day
        public var records: Int
        public var validPerMille: Int
        public var duplicates: Int
        public init(checkedOn: Day, records: Int, validPerMille: Int, duplicates: Int) {
            self.checkedOn = checkedOn
            self.records = records
            self.validPerMille = validPerMille
            self.duplicates = duplicates
        }
    }

    public struct Migration: Hashable, Sendable, Codable {
        public var loads: Int
        public var migrated: Int
        public var verified: Int
        public var rejected: Int
        public init(loads: Int, migrated: Int, verified: Int, rejected: Int) {
            self.loads = loads
            self.migrated = migrated
            self.verified = verified
            self.rejected = rejected
        }
    }

    public struct PathTask: Hashable, Sendable, Codable {
        public var id: Int
        public var name: String
        public var start: Day
        public var finish: Day
        public init(id: Int, name: String, start: Day, finish: Day) {
            self.id = id
            self.name = name
            self.start = start
            self.finish = finish
        }
    }

    /// The critical tasks up to the plan's Go-Live Completed milestone (or its finish).
    public struct CriticalPath: Hashable, Sendable, Codable {
        /// Why there is no path: no plan, or a plan that cannot be scheduled.
        public var problem: String?
        public var goLive: Day?
        public var tasks: [PathTask]
        /// Critical tasks left out of `tasks` to keep the report short.
        public var more: Int
        public init(problem: String?, goLive: Day?, tasks: [PathTask], more: Int) {
            self.problem = problem
            self.goLive = goLive
            self.tasks = tasks
            self.more = more
        }
    }

    public var projectCode: String
    public var productCode: String
    /// The organisation where the project goes live.
    public var siteName: String
    /// The Go-Live Completed milestone's forecast (or baseline) when the inputs were read.
    public var goLiveForecast: Day?
    public var surveys: [Survey]
    public var register: [RegisterCount]
    public var serious: [RegisterItem]
    public var safety: Safety
    public var dataQuality: [DataQualityPoint]
    public var migration: Migration?
    public var criticalPath: CriticalPath
    /// Registration and training coverage, once Waymark holds it; nil until then.
    public var training: String?

    public init(projectCode: String, productCode: String, siteName: String, goLiveForecast: Day?, surveys: [Survey], register: [RegisterCount],
                serious: [RegisterItem], safety: Safety, dataQuality: [DataQualityPoint], migration: Migration?,
                criticalPath: CriticalPath, training: String?) {
        self.projectCode = projectCode
        self.productCode = productCode
        self.siteName = siteName
        self.goLiveForecast = goLiveForecast
        self.surveys = surveys
        self.register = register
        self.serious = serious
        self.safety = safety
        self.dataQuality = dataQuality
        self.migration = migration
        self.criticalPath = criticalPath
        self.training = training
    }

    public func open(_ kind: TrackingKind, _ priority: RiskPriority) -> Int {
        register.first { $0.kind == kind && $0.priority == priority }?.open ?? 0
    }
}

/// A generated report: its inputs, who generated it and when, the hash of its stored bytes, and
/// the Project Board's signature once given. Nothing but the signature is ever written twice.
public struct ReadinessReport: Hashable, Sendable {
    public var id: Int64
    public var projectID: Int64
    /// 1, 2, 3... within the project.
    public var number: Int
    public var inputs: ReadinessInputs
    public var generatedBy: String
    public var generatedAt: String
    /// SHA-256 of the stored snapshot (inputs, generator and time), in hex.
    public var hash: String
    public var signedBy: String?
    public var signedAt: String?

    public init(id: Int64 = 0, projectID: Int64, number: Int = 0, inputs: ReadinessInputs, generatedBy: String, generatedAt: String,
                hash: String = "", signedBy: String? = nil, signedAt: String? = nil) {
        self.id = id
        self.projectID = projectID
        self.number = number
        self.inputs = inputs
        self.generatedBy = generatedBy
        self.generatedAt = generatedAt
        self.hash = hash
        self.signedBy = signedBy
        self.signedAt = signedAt
    }

    public var isSigned: Bool { signedBy != nil }
    /// "ORR-3".
    public var reference: String { "ORR-\(number)" }
}
