/// What a user may do, NHS RBAC style: job roles map to the activities they permit
/// (DOMAIN.md §1, §10). Sign-in and enforcement build on this (issue 3); the model is pure.
public enum Activity: String, CaseIterable, Sendable, Codable {
    /// Read projects, milestones and roll-ups within scope.
    case viewRecords
    /// Record forecast and actual milestone dates.
    case recordMilestones
    /// Export lists (CSV) within scope.
    case exportRecords
    /// Read the audit trail.
    case viewAudit
    /// Add users and assign roles.
    case manageUsers
    /// Import, edit and baseline a project's plan.
    case editPlans
    /// Raise and update risks, issues and lessons in the registers within scope; escalate and
    /// de-escalate them (DOMAIN.md §7).
    case recordRisks
    /// Promote a lesson to programme guidance (the national office, §4.6.3).
    case promoteLessons
    /// Raise Change Control Notes and move them through assessment to the Change Review Board (§4.6.4).
    case manageChanges
    /// Record a Change Review Board decision; the service also checks board membership.
    case decideChanges
    /// Agree a Detailed Implementation Plan and change its lines (with an approved CCN).
    case manageDIP
    /// Create NSI documents, upload versions, comment, submit, issue and withdraw them (§4.6.5).
    case manageDocuments
    /// Approve a document version; the service also checks the product's approver role.
    case approveDocuments
    /// Record a stage gate decision (an override needs the Project Board role as well).
    case decideGates
    /// Record and update hazards in a project's clinical hazard log.
    case recordHazards
    /// Sign the clinical safety case for Go Live (the Clinical Safety Officer).
    case signSafetyCase
    /// Add, edit, move and close organisations within scope (issue 13); suppliers and anything
    /// without a parent need national scope.
    case manageOrganisations
    /// Record readiness: data-quality checks and migration loads (issue 14).
    case recordReadiness
    /// Read the NHS staff being registered and trained (issue 15): names and job roles are
    /// personal data, so only the people who register and train them see them.
    case viewStaff
    /// Add, edit and import staff records (an HR extract).
    case manageStaff
    /// Take an RA registration through its steps: application, identity check, smartcard,
    /// access granted; and keep the RA's kit counts (§6.4.3).
    case registerUsers
    /// Approve a person's access profile as their sponsor.
    case sponsorAccess
    /// Grant access without proficiency, with a reason (the RA manager, §4.5.2).
    case overrideProficiency
    /// Keep courses, the training needs analysis, sessions and trainers' qualifications, and
    /// import results from a learning-management system.
    case manageTraining
    /// Book people onto sessions, record attendance, results and evaluations (trainers).
    case recordTraining
}

public enum Role: String, CaseIterable, Sendable, Codable {
    case trustProjectManager = "trust-project-manager"
    case projectBoardMember = "project-board-member"
    case clinicalSafetyOfficer = "clinical-safety-officer"
    case registrationAuthorityManager = "ra-manager"
    case raAgent = "ra-agent"
    case raSponsor = "ra-sponsor"
    case trainer
    case trainingManager = "training-manager"
    case shaProgrammeOffice = "sha-programme-office"
    case clusterProgrammeControls = "cluster-programme-controls"
    case nationalProgrammeOffice = "national-programme-office"
    case supplierImplementer = "supplier-implementer"
    case auditor
    case systemAdministrator = "system-administrator"

    public var title: String {
        switch self {
        case .trustProjectManager: "Trust project manager"
        case .projectBoardMember: "Project Board member"
        case .clinicalSafetyOfficer: "Clinical Safety Officer"
        case .registrationAuthorityManager: "RA manager"
        case .raAgent: "RA agent"
        case .raSponsor: "RA sponsor"
        case .trainer: "Trainer"
        case .trainingManager: "Training manager"
        case .shaProgrammeOffice: "SHA programme office"
        case .clusterProgrammeControls: "Cluster PCM / RID"
        case .nationalProgrammeOffice: "National Programme Office"
        case .supplierImplementer: "Supplier implementer"
        case .auditor: "Read-only auditor"
        case .systemAdministrator: "System administrator"
        }
    }

    /// Deny by default: a role permits only what is listed here.
    public var activities: Set<Activity> {
        switch self {
        // Project managers run projects; suppliers update the sites they deliver to (§1);
        // SHA and cluster offices performance-manage and correct returns below them.
        // Suppliers submit their Detailed Implementation Plans; trusts and offices own and baseline them.
        // Change Review Boards sit in the clusters, with SHA representatives and the national office.
        // LSPs raise changes to their DIPs and keep them; the cluster PMO agrees them.
        // Documents: everyone who runs or oversees a project can write and review them; the
        // product's approver role signs them off; the Project Board and project manager decide gates.
        case .trustProjectManager:
            [.viewRecords, .recordMilestones, .exportRecords, .editPlans, .recordRisks, .manageChanges,
             .manageDocuments, .approveDocuments, .decideGates, .recordHazards, .recordReadiness]
        case .supplierImplementer:
            [.viewRecords, .recordMilestones, .exportRecords, .editPlans, .recordRisks, .manageChanges, .manageDIP,
             .manageDocuments, .recordHazards, .recordReadiness]
        // The programme offices keep the hierarchy below them (issue 13).
        case .shaProgrammeOffice:
            [.viewRecords, .recordMilestones, .exportRecords, .editPlans, .recordRisks, .manageChanges, .decideChanges, .manageDocuments,
             .manageOrganisations, .recordReadiness]
        case .clusterProgrammeControls:
            [.viewRecords, .recordMilestones, .exportRecords, .editPlans, .recordRisks, .manageChanges, .decideChanges, .manageDIP,
             .manageDocuments, .manageOrganisations, .recordReadiness]
        case .nationalProgrammeOffice:
            [.viewRecords, .recordMilestones, .exportRecords, .viewAudit, .editPlans, .recordRisks, .promoteLessons,
             .manageChanges, .decideChanges, .manageDIP, .manageDocuments, .manageOrganisations, .recordReadiness]
        // Board members, clinical safety officers and RA managers raise the risks they own and
        // approve the products named for their role.
        case .projectBoardMember:
            [.viewRecords, .exportRecords, .recordRisks, .manageDocuments, .approveDocuments, .decideGates]
        case .clinicalSafetyOfficer:
            [.viewRecords, .exportRecords, .recordRisks, .manageDocuments, .approveDocuments, .recordHazards, .signSafetyCase]
        // The local RA and the trainers work with the staff records (issue 15); only the RA
        // manager may grant access without proficiency.
        case .registrationAuthorityManager:
            [.viewRecords, .exportRecords, .recordRisks, .manageDocuments, .approveDocuments,
             .viewStaff, .manageStaff, .registerUsers, .sponsorAccess, .overrideProficiency]
        case .raAgent: [.viewRecords, .exportRecords, .viewStaff, .manageStaff, .registerUsers]
        case .raSponsor: [.viewRecords, .viewStaff, .sponsorAccess]
        case .trainer: [.viewRecords, .viewStaff, .recordTraining]
        case .trainingManager: [.viewRecords, .exportRecords, .viewStaff, .manageStaff, .manageTraining, .recordTraining]
        case .auditor: [.viewRecords, .exportRecords, .viewAudit]
        case .systemAdministrator: [.viewRecords, .viewAudit, .manageUsers]
        }
    }

    public func permits(_ activity: Activity) -> Bool { activities.contains(activity) }

    /// The organisation kinds a user with this role may belong to.
    public var homeKinds: Set<OrganisationKind> {
        switch self {
        case .trustProjectManager, .projectBoardMember, .clinicalSafetyOfficer, .registrationAuthorityManager,
             .raAgent, .raSponsor, .trainer, .trainingManager: [.trust, .lhc]
        case .shaProgrammeOffice: [.sha]
        case .clusterProgrammeControls: [.cluster]
        case .nationalProgrammeOffice, .auditor, .systemAdministrator: [.national]
        case .supplierImplementer: [.supplier]
        }
    }
}

/// The records a user can see: everything, one organisation's subtree, or what one supplier
/// is contracted to deliver. Every query is to be built from this, never filtered afterwards.
public enum AccessScope: Hashable, Sendable {
    case national
    /// The organisation and everything below it.
    case subtree(kind: OrganisationKind, id: Int64)
    /// Projects the supplier delivers, and the organisations they are at.
    case supplier(id: Int64)

    /// The scope of a user with `role` at `organisation`; nil when the role does not belong
    /// there (a supplier role at a trust, say), which must deny everything.
    public static func of(role: Role, at organisation: Organisation) -> AccessScope? {
        guard role.homeKinds.contains(organisation.kind) else { return nil }
        switch organisation.kind {
        case .national: return .national
        case .supplier: return .supplier(id: organisation.id)
        default: return .subtree(kind: organisation.kind, id: organisation.id)
        }
    }

    public func covers(_ project: ImplementationProject) -> Bool {
        switch self {
        case .national: true
        case .subtree(let kind, let id): project.ancestry.id(at: kind) == id
        case .supplier(let id): project.supplierID == id
        }
    }

    /// For suppliers, organisations are covered through their contracts (`contractedOrganisationIDs`).
    public func covers(_ organisation: Organisation, contractedOrganisationIDs: Set<Int64> = []) -> Bool {
        switch self {
        case .national: true
        case .subtree(let kind, let id): organisation.ancestry.id(at: kind) == id
        case .supplier(let id): organisation.id == id || contractedOrganisationIDs.contains(organisation.id)
        }
    }
}
