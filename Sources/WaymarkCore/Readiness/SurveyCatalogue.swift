/// The readiness surveys (issue 14, §4.4.1.1 and §4.4.1.3): the Organisational Readiness
/// Assessment at stage 0, and the baseline surveys of stage 2. Their questions are versioned
/// data, like the NSI catalogue: a response keeps the version it was answered against.
public enum SurveyKind: String, CaseIterable, Sendable, Codable, Hashable {
    case organisationalReadiness = "organisational-readiness"
    case data, process, staff
    case registrationAuthority = "registration-authority"
    case hardware, infrastructure, application, security, ergonomics, support
    case integration

    public var title: String {
        switch self {
        case .organisationalReadiness: "Organisational Readiness Assessment"
        case .data: "Data survey"
        case .process: "Process survey"
        case .staff: "Staff survey and Training Needs Analysis"
        case .registrationAuthority: "Registration Authority survey"
        case .hardware: "Hardware survey"
        case .infrastructure: "Infrastructure survey"
        case .application: "Application survey"
        case .security: "Security survey"
        case .ergonomics: "Ergonomics survey"
        case .support: "Support survey"
        case .integration: "Integration (interfaces) survey"
        }
    }

    /// The stage whose products it belongs to (§4.4.1).
    public var stage: NSIStage { self == .organisationalReadiness ? .prepare : .localDesign }
}

/// How a question is answered.
public enum SurveyScale: Hashable, Sendable, Codable {
    /// Ready, partly ready, not ready, or not applicable.
    case readiness
    /// A whole number from 0 to `maximum` (staff to train, devices to install).
    case count(maximum: Int)
}

public struct SurveyQuestion: Hashable, Sendable, Codable {
    /// Stable within the catalogue ("ora.staff.trained").
    public var id: String
    public var section: String
    public var text: String
    public var scale: SurveyScale

    public init(_ id: String, section: String, _ text: String, scale: SurveyScale = .readiness) {
        self.id = id
        self.section = section
        self.text = text
        self.scale = scale
    }
}

/// One version of every survey's questions.
public struct SurveyCatalogueVersion: Hashable, Sendable {
    public var number: Int
    public var questions: [SurveyKind: [SurveyQuestion]]

    public func questions(_ kind: SurveyKind) -> [SurveyQuestion] { questions[kind] ?? [] }
    public func question(_ kind: SurveyKind, id: String) -> SurveyQuestion? { questions(kind).first { $0.id == id } }
}

public enum SurveyCatalogue {
    public static let versions: [SurveyCatalogueVersion] = [version1]
    public static var latest: SurveyCatalogueVersion { versions[versions.count - 1] }
    public static func version(_ number: Int) -> SurveyCatalogueVersion? { versions.first { $0.number == number } }

    /// The first issue, from the guide's lists of what each product covers (§4.4.1.1, §4.4.1.3).
    static let version1 = SurveyCatalogueVersion(number: 1, questions: [
        .organisationalReadiness: [
            SurveyQuestion("ora.staff.count", section: "Staff to be trained", "How many staff will need training?", scale: .count(maximum: 1_000_000)),
            SurveyQuestion("ora.staff.release", section: "Staff to be trained", "Can staff be released for training before go-live?"),
            SurveyQuestion("ora.systems.inventory", section: "Existing systems and their contracts", "Are the systems to be replaced listed, with their owners?"),
            SurveyQuestion("ora.systems.contracts", section: "Existing systems and their contracts", "Do their contracts run long enough, or end in time, for the switch?"),
            SurveyQuestion("ora.resources.team", section: "Resources, funding and approvals", "Is a local project team named and available?"),
            SurveyQuestion("ora.resources.funding", section: "Resources, funding and approvals", "Is local funding for the implementation approved?"),
            SurveyQuestion("ora.resources.approvals", section: "Resources, funding and approvals", "Has the board approved the project's brief?"),
            SurveyQuestion("ora.sites.surveyed", section: "Site surveys", "Have the sites been surveyed for space, power and network?"),
        ],
        .data: [
            SurveyQuestion("data.sources", section: "Data", "Are the data sources to migrate known, with their owners?"),
            SurveyQuestion("data.nhs-numbers", section: "Data", "Have NHS Numbers been checked and traced (§4.2.6)?"),
            SurveyQuestion("data.cleansing", section: "Data", "Is there a data cleansing and migration strategy?"),
        ],
        .process: [
            SurveyQuestion("process.mapped", section: "Process", "Are the current business and clinical processes mapped?"),
            SurveyQuestion("process.changes", section: "Process", "Are the changes the new system brings agreed with their owners?"),
        ],
        .staff: [
            SurveyQuestion("staff.users", section: "Staff", "How many users will the new system have?", scale: .count(maximum: 1_000_000)),
            SurveyQuestion("staff.tna", section: "Training Needs Analysis", "Is the Training Needs Analysis done for every role?"),
            SurveyQuestion("staff.basic-skills", section: "Training Needs Analysis", "Have users' basic IT skills been assessed?"),
        ],
        .registrationAuthority: [
            SurveyQuestion("ra.in-place", section: "Registration Authority", "Is a local Registration Authority in place, with managers and agents?"),
            SurveyQuestion("ra.sponsors", section: "Registration Authority", "Are sponsors named for every workgroup?"),
            SurveyQuestion("ra.lead-time", section: "Registration Authority", "Does the plan allow the registration lead time before go-live?"),
        ],
        .hardware: [
            SurveyQuestion("hardware.devices", section: "Hardware", "How many devices need installing or replacing?", scale: .count(maximum: 1_000_000)),
            SurveyQuestion("hardware.spec", section: "Hardware", "Do existing devices meet the supplier's specification?"),
            SurveyQuestion("hardware.smartcards", section: "Hardware", "Does every device that needs one have a smartcard reader?"),
        ],
        .infrastructure: [
            SurveyQuestion("infra.n3", section: "Infrastructure", "Is the N3 connection live with enough bandwidth?"),
            SurveyQuestion("infra.lan", section: "Infrastructure", "Does the local network reach every place of use?"),
            SurveyQuestion("infra.power", section: "Infrastructure", "Are power and cabling in place for new equipment?"),
        ],
        .application: [
            SurveyQuestion("app.inventory", section: "Application", "Are the applications the new system replaces or touches listed?"),
            SurveyQuestion("app.configuration", section: "Application", "Is the local configuration designed and agreed?"),
        ],
        .security: [
            SurveyQuestion("security.policy", section: "Security", "Are information governance and security policies in place for the new system?"),
            SurveyQuestion("security.rbac", section: "Security", "Is the local Role Based Access Control model agreed?"),
        ],
        .ergonomics: [
            SurveyQuestion("ergonomics.workstations", section: "Ergonomics", "Are workstations assessed for the new ways of working?"),
        ],
        .support: [
            SurveyQuestion("support.service-desk", section: "Support", "Is the service desk ready to take calls about the new system?"),
            SurveyQuestion("support.early-care", section: "Support", "Is early care support planned, with its period set?"),
        ],
        .integration: [
            SurveyQuestion("integration.interfaces", section: "Interfaces", "Are the interfaces to other systems listed, with their owners?"),
            SurveyQuestion("integration.tested", section: "Interfaces", "Is each interface planned for testing before go-live?"),
        ],
    ])
}
