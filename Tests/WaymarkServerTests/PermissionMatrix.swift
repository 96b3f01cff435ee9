import WaymarkCore

/// The expected answer of every route for every role and organisation position, written out
/// independently of the code under test. `PermissionMatrixTests` runs every cell on both
/// backends and fails when the router has a route that is not listed here.
enum PermissionMatrix {
    /// Where the record a request touches sits, relative to the actor's home organisation.
    enum Position: String, CaseIterable, Sendable {
        case own, child, parent, sibling, otherCluster = "other cluster"
        case supplierContracted = "supplier contracted", supplierNotContracted = "supplier not contracted"
    }

    /// What a route needs, and so how its cells are checked.
    enum Rule: Sendable {
        /// Open to anyone, signed in or not.
        case open
        /// Any signed-in user, about their own account (their home page, tokens, sign-out).
        case signedIn
        /// Reads or changes the organisation at the position: 404 out of scope, 403 in scope
        /// without the activity, success otherwise.
        case organisation(Activity)
        /// Reads or changes the project at the position, the same way.
        case project(Activity)
        /// Changes the project's plan: the matrix sends a form with no file, so getting past
        /// authorisation shows as the form's 422 ("choose a file").
        case planForm(Activity)
        /// The plan API on a project with no plan, or with a body that is not a plan: getting
        /// past authorisation shows as 404 "no plan yet" or 422, never 403.
        case apiPlan(Activity)
        /// Adds a calendar exception at the organisation; the matrix sends no day, so getting
        /// past authorisation shows as the form's 422.
        case calendarForm(Activity)
        /// A list or search given the position's project code: it lists the project only in
        /// scope, and answers 403 without the activity.
        case list(Activity)
        /// The audit trail: national roles that permit `viewAudit`.
        case audit
    }

    /// Every route the router registers, as Hummingbird describes it.
    static let routes: [String: Rule] = [
        "GET /": .signedIn,
        "GET /organisations/{code}": .organisation(.viewRecords),
        "GET /projects": .list(.viewRecords),
        "GET /projects/export.csv": .list(.exportRecords),
        "GET /projects/{code}": .project(.viewRecords),
        "POST /projects/{code}/milestones": .project(.recordMilestones),
        "GET /audit": .audit,
        "GET /search": .list(.viewRecords),
        "GET /static/waymark.css": .open,
        "GET /api/v1/openapi.yaml": .open,
        "GET /api/v1/organisations": .list(.viewRecords),
        "GET /api/v1/organisations/{code}": .organisation(.viewRecords),
        "GET /api/v1/organisations/{code}/rollup": .organisation(.viewRecords),
        "GET /api/v1/projects": .list(.viewRecords),
        "GET /api/v1/projects/{code}": .project(.viewRecords),
        "PATCH /api/v1/projects/{code}/milestones/{milestone}": .project(.recordMilestones),
        "GET /projects/{code}/plan": .project(.viewRecords),
        "POST /projects/{code}/plan": .planForm(.editPlans),
        "POST /projects/{code}/plan/baselines": .planForm(.editPlans),
        "GET /projects/{code}/plan.xml": .project(.exportRecords),
        "GET /projects/{code}/plan.xer": .project(.exportRecords),
        "GET /projects/{code}/plan.csv": .project(.exportRecords),
        "GET /projects/{code}/milestones.ics": .project(.exportRecords),
        "GET /organisations/{code}/milestones.ics": .organisation(.exportRecords),
        "GET /api/v1/projects/{code}/plan": .apiPlan(.viewRecords),
        "PUT /api/v1/projects/{code}/plan": .apiPlan(.editPlans),
        "POST /api/v1/projects/{code}/plan/baselines": .apiPlan(.editPlans),
        "GET /api/v1/projects/{code}/plan/export": .apiPlan(.exportRecords),
        "GET /organisations/{code}/plans": .organisation(.viewRecords),
        "POST /organisations/{code}/calendar": .calendarForm(.editPlans),
        "GET /health": .open,
        "GET /sign-in": .open,
        "POST /sign-in": .open,
        "POST /sign-out": .signedIn,
        "GET /account": .signedIn,
        "POST /account/tokens": .signedIn,
        "POST /account/tokens/{id}/revoke": .signedIn,
    ]

    /// Whether a role sees records at a position; nil where the position does not exist for
    /// the role (the national office has no parent).
    static func sees(_ role: Role, _ position: Position) -> Bool? {
        switch role {
        case .nationalProgrammeOffice, .auditor, .systemAdministrator:
            switch position {
            case .own, .child, .supplierContracted: return true
            case .parent, .sibling, .otherCluster, .supplierNotContracted: return nil
            }
        case .supplierImplementer:
            switch position {
            case .own, .supplierContracted: return true
            case .sibling, .supplierNotContracted: return false
            case .child, .parent, .otherCluster: return nil
            }
        case .trustProjectManager, .projectBoardMember, .clinicalSafetyOfficer, .registrationAuthorityManager,
             .shaProgrammeOffice, .clusterProgrammeControls:
            switch position {
            case .own, .child, .supplierContracted: return true
            case .parent, .sibling, .otherCluster, .supplierNotContracted: return false
            }
        }
    }

    /// What each role may do (DOMAIN.md §1, §10), restated here rather than read from the code.
    static func permits(_ role: Role, _ activity: Activity) -> Bool {
        switch activity {
        case .viewRecords: true
        case .recordMilestones, .editPlans:
            [.trustProjectManager, .supplierImplementer, .shaProgrammeOffice, .clusterProgrammeControls,
             .nationalProgrammeOffice].contains(role)
        case .exportRecords: role != .systemAdministrator
        case .viewAudit: [.nationalProgrammeOffice, .auditor, .systemAdministrator].contains(role)
        case .manageUsers: role == .systemAdministrator
        }
    }
}
