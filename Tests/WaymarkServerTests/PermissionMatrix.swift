import HTTPTypes
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
        /// A programme-wide change that needs national scope (an organisation import): the
        /// request's status for a national role that permits the activity, 403 for any other.
        case national(Activity, request: @Sendable () -> (MatrixRequest, HTTPResponse.Status))
        /// Programme-wide reference data (roll-out templates): the request's status for every
        /// role that permits the activity, wherever it sits; 403 for any other.
        case programmeWide(Activity, request: @Sendable () -> (MatrixRequest, HTTPResponse.Status))
        /// A route that builds its own request for the record at the position (of the given
        /// kind) and names the status that shows it got past authorisation: 404 out of scope,
        /// 403 in scope without the activity, that status otherwise. Writes must be built to
        /// fail validation (or change nothing), so the matrix leaves the data as it found it.
        case custom(Activity, Subject, request: @Sendable (Targets.Target, ProgrammeDataset) -> (MatrixRequest, HTTPResponse.Status))
        /// A record shared programme-wide (lessons, DOMAIN.md §7): every role but a supplier
        /// reaches it wherever its project sits; a supplier only where it sees the project
        /// (`reaches`). Built as for `.custom`; with `listed` set the request is a search, which
        /// answers the status either way and shows that text only when the record is reached.
        case shared(Activity, request: @Sendable (Targets.Target, ProgrammeDataset) -> (MatrixRequest, HTTPResponse.Status, listed: String?))
    }

    /// Which record at a position a custom route touches: the organisation, or its project.
    enum Subject: Sendable { case organisation, project }

    /// Every route the router registers: the core routes, then each area's own table.
    static var routes: [String: Rule] {
        coreRoutes.merging(trackingRoutes) { a, _ in a }.merging(lessonRoutes) { a, _ in a }.merging(changeControlRoutes) { a, _ in a }
            .merging(documentRoutes) { a, _ in a }.merging(documentAPIRoutes) { a, _ in a }.merging(organisationRoutes) { a, _ in a }
            .merging(contractRoutes) { a, _ in a }.merging(projectLifecycleRoutes) { a, _ in a }.merging(userRoutes) { a, _ in a }
            .merging(rollOutRoutes) { a, _ in a }.merging(dipSetupRoutes) { a, _ in a }.merging(dataQualityRoutes) { a, _ in a }
            .merging(surveyRoutes) { a, _ in a }.merging(readinessReportRoutes) { a, _ in a }
            .merging(goLiveChecklistRoutes) { a, _ in a }.merging(goLivePolicyRoutes) { a, _ in a }
            .merging(goingLiveRoutes) { a, _ in a }.merging(peopleRoutes) { a, _ in a }.merging(peopleAPIRoutes) { a, _ in a }
    }

    /// The routes of the foundation, sign-in and plans, as Hummingbird describes them.
    static let coreRoutes: [String: Rule] = [
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
        "GET /health/ready": .open,
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
             .raAgent, .raSponsor, .trainer, .trainingManager, .shaProgrammeOffice, .clusterProgrammeControls:
            switch position {
            case .own, .child, .supplierContracted: return true
            case .parent, .sibling, .otherCluster, .supplierNotContracted: return false
            }
        }
    }

    /// Whether a role reaches a programme-wide record (`.shared`) held at a position it does or
    /// does not see.
    static func reaches(_ role: Role, sees: Bool) -> Bool { sees || role != .supplierImplementer }

    /// What each role may do (DOMAIN.md §1, §10), restated here rather than read from the code.
    static func permits(_ role: Role, _ activity: Activity) -> Bool {
        switch activity {
        case .viewRecords: true
        case .recordMilestones, .editPlans:
            [.trustProjectManager, .supplierImplementer, .shaProgrammeOffice, .clusterProgrammeControls,
             .nationalProgrammeOffice].contains(role)
        case .exportRecords: ![.systemAdministrator, .raSponsor, .trainer].contains(role)
        case .viewAudit: [.nationalProgrammeOffice, .auditor, .systemAdministrator].contains(role)
        case .manageUsers: role == .systemAdministrator
        case .recordRisks: ![.auditor, .systemAdministrator, .raAgent, .raSponsor, .trainer, .trainingManager].contains(role)
        case .promoteLessons: role == .nationalProgrammeOffice
        case .manageChanges:
            [.trustProjectManager, .supplierImplementer, .shaProgrammeOffice, .clusterProgrammeControls,
             .nationalProgrammeOffice].contains(role)
        case .decideChanges: [.shaProgrammeOffice, .clusterProgrammeControls, .nationalProgrammeOffice].contains(role)
        case .manageDIP: [.supplierImplementer, .clusterProgrammeControls, .nationalProgrammeOffice].contains(role)
        case .manageDocuments: ![.auditor, .systemAdministrator, .raAgent, .raSponsor, .trainer, .trainingManager].contains(role)
        case .approveDocuments:
            [.trustProjectManager, .projectBoardMember, .clinicalSafetyOfficer, .registrationAuthorityManager].contains(role)
        case .decideGates: [.trustProjectManager, .projectBoardMember].contains(role)
        case .recordHazards: [.trustProjectManager, .supplierImplementer, .clinicalSafetyOfficer].contains(role)
        case .signSafetyCase: role == .clinicalSafetyOfficer
        case .manageOrganisations: [.shaProgrammeOffice, .clusterProgrammeControls, .nationalProgrammeOffice].contains(role)
        case .recordReadiness:
            [.trustProjectManager, .supplierImplementer, .shaProgrammeOffice, .clusterProgrammeControls,
             .nationalProgrammeOffice].contains(role)
        case .viewStaff: [.registrationAuthorityManager, .raAgent, .raSponsor, .trainer, .trainingManager].contains(role)
        case .manageStaff: [.registrationAuthorityManager, .raAgent, .trainingManager].contains(role)
        case .registerUsers: [.registrationAuthorityManager, .raAgent].contains(role)
        case .sponsorAccess: [.registrationAuthorityManager, .raSponsor].contains(role)
        case .overrideProficiency: role == .registrationAuthorityManager
        case .manageTraining: role == .trainingManager
        case .recordTraining: [.trainer, .trainingManager].contains(role)
        }
    }
}

/// A request the matrix sends for a `.custom` route.
struct MatrixRequest: Sendable {
    static let csrfToken = String(repeating: "m", count: 43)
    var method: HTTPRequest.Method
    var uri: String
    var headers: HTTPFields = [:]
    var body: String = ""

    static func get(_ uri: String) -> MatrixRequest { MatrixRequest(method: .get, uri: uri) }

    /// A form POST carrying a valid CSRF cookie and field.
    static func form(_ uri: String, _ fields: [(String, String)] = []) -> MatrixRequest {
        let body = ([("csrf", csrfToken)] + fields).map { "\($0.0)=\($0.1.addingPercentEncodingForForm)" }.joined(separator: "&")
        return MatrixRequest(method: .post, uri: uri, headers: [
            .contentType: "application/x-www-form-urlencoded", .cookie: "waymark_csrf=\(csrfToken)"], body: body)
    }

    /// A multipart form POST with a valid CSRF part and nothing else.
    static func multipart(_ uri: String) -> MatrixRequest {
        MatrixRequest(method: .post, uri: uri, headers: [
            .contentType: "multipart/form-data; boundary=MATRIX", .cookie: "waymark_csrf=\(csrfToken)"],
            body: "--MATRIX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrfToken)\r\n--MATRIX--\r\n")
    }

    /// An empty CSV file, as an API import sends it.
    static func csv(_ uri: String) -> MatrixRequest {
        MatrixRequest(method: .post, uri: uri, headers: [.contentType: "text/csv"], body: "")
    }

    static func json(_ method: HTTPRequest.Method, _ uri: String, _ body: String = "{}") -> MatrixRequest {
        MatrixRequest(method: method, uri: uri, headers: [.contentType: "application/json"], body: body)
    }
}

extension String {
    var addingPercentEncodingForForm: String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
