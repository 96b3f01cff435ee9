import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The change control routes (issue 4). Notes are reached through the seeded note about
    /// the position's project alone, so the note is visible exactly where the project is. A
    /// DIP belongs to a cluster, so its pages are seen from an organisation (the position's),
    /// which must be in scope too. Every write is built to fail validation (422).
    static let changeControlRoutes: [String: Rule] = [
        "GET /organisations/{code}/changes": .organisation(.viewRecords),
        "POST /organisations/{code}/changes": .custom(.manageChanges, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/changes", [("title", "")]), .unprocessableContent)
        },
        "GET /changes/{id}": .custom(.viewRecords, .project) { target, dataset in
            (.get("/changes/\(note(about: target, in: dataset))"), .ok)
        },
        "POST /changes/{id}/transition": .custom(.manageChanges, .project) { target, dataset in
            (.form("/changes/\(note(about: target, in: dataset))/transition", [("state", "")]), .unprocessableContent)
        },
        "POST /changes/{id}/assessments": .custom(.manageChanges, .project) { target, dataset in
            (.form("/changes/\(note(about: target, in: dataset))/assessments", [("discipline", "")]), .unprocessableContent)
        },
        "POST /changes/{id}/decision": .custom(.decideChanges, .project) { target, dataset in
            (.form("/changes/\(note(about: target, in: dataset))/decision", [("reason", "")]), .unprocessableContent)
        },
        "GET /organisations/{code}/change-board": .organisation(.viewRecords),
        "POST /organisations/{code}/change-board/meetings": .custom(.manageChanges, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/change-board/meetings", [("heldOn", "")]), .unprocessableContent)
        },
        "POST /organisations/{code}/change-board/members": .custom(.manageChanges, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/change-board/members", [("username", "")]), .unprocessableContent)
        },
        "GET /organisations/{code}/dip": .organisation(.viewRecords),
        "GET /organisations/{code}/dips/{id}": .custom(.viewRecords, .organisation) { target, dataset in
            (.get("/organisations/\(target.organisation.code)/dips/\(dip(of: target, in: dataset).id)"), .ok)
        },
        "POST /organisations/{code}/dips/{id}/lines": .custom(.manageDIP, .organisation) { target, dataset in
            (.form("/organisations/\(target.organisation.code)/dips/\(dip(of: target, in: dataset).id)/lines", [("product", "")]), .unprocessableContent)
        },
        "POST /organisations/{code}/dips/{id}/lines/{line}": .custom(.manageDIP, .organisation) { target, dataset in
            let (dip, line) = dipLine(at: target, in: dataset)
            return (.form("/organisations/\(target.organisation.code)/dips/\(dip)/lines/\(line)", [("due", "not-a-date")]), .unprocessableContent)
        },
        "POST /organisations/{code}/dips/{id}/agree": .custom(.manageDIP, .organisation) { target, dataset in
            (.form("/organisations/\(target.organisation.code)/dips/\(dip(of: target, in: dataset).id)/agree"), .unprocessableContent)
        },
        "GET /api/v1/organisations/{code}/changes": .organisation(.viewRecords),
        "POST /api/v1/organisations/{code}/changes": .custom(.manageChanges, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations/\(target.organisation.code)/changes",
                   #"{"type": "technical", "title": "", "description": "", "reason": ""}"#), .unprocessableContent)
        },
        "GET /api/v1/changes/{id}": .custom(.viewRecords, .project) { target, dataset in
            (.get("/api/v1/changes/\(note(about: target, in: dataset))"), .ok)
        },
        "POST /api/v1/changes/{id}/transition": .custom(.manageChanges, .project) { target, dataset in
            (apiChange("/api/v1/changes/\(note(about: target, in: dataset))/transition", #"{"state": "approved"}"#), .unprocessableContent)
        },
        "POST /api/v1/changes/{id}/assessments": .custom(.manageChanges, .project) { target, dataset in
            (apiChange("/api/v1/changes/\(note(about: target, in: dataset))/assessments",
                       #"{"discipline": "quality", "assessor": "", "recommendation": ""}"#), .unprocessableContent)
        },
        "POST /api/v1/changes/{id}/decision": .custom(.decideChanges, .project) { target, dataset in
            (apiChange("/api/v1/changes/\(note(about: target, in: dataset))/decision", #"{"meeting": 0, "outcome": "approved", "reason": ""}"#),
             .unprocessableContent)
        },
        "GET /api/v1/projects/{code}/baseline-history": .project(.viewRecords),
        "GET /api/v1/organisations/{code}/dip-performance": .organisation(.viewRecords),
        "GET /api/v1/organisations/{code}/dips/{id}": .custom(.viewRecords, .organisation) { target, dataset in
            (.get("/api/v1/organisations/\(target.organisation.code)/dips/\(dip(of: target, in: dataset).id)"), .ok)
        },
        "PATCH /api/v1/organisations/{code}/dips/{id}/lines/{line}": .custom(.manageDIP, .organisation) { target, dataset in
            let (dip, line) = dipLine(at: target, in: dataset)
            return (apiChange("/api/v1/organisations/\(target.organisation.code)/dips/\(dip)/lines/\(line)", #"{"due": "not-a-date"}"#,
                              method: .patch), .unprocessableContent)
        },
    ]

    /// A JSON change at version 1, which every seeded note and line is at.
    static func apiChange(_ uri: String, _ body: String, method: HTTPRequest.Method = .post) -> MatrixRequest {
        MatrixRequest(method: method, uri: uri, headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"1\""], body: body)
    }

    /// The seeded note about the target's project and nothing else (every trust's first project has one).
    static func note(about target: Targets.Target, in dataset: ProgrammeDataset) -> Int64 {
        dataset.changeControl.notes.first { $0.projects.map(\.id) == [target.project.id] && $0.dipLines.isEmpty }?.id ?? -1
    }

    /// The current DIP of the target project's cluster.
    static func dip(of target: Targets.Target, in dataset: ProgrammeDataset) -> DetailedImplementationPlan {
        dataset.changeControl.dips.last { $0.clusterID == target.project.ancestry.clusterID }!
    }

    /// A DIP line at the target project's site, which is in scope exactly where the project is.
    static func dipLine(at target: Targets.Target, in dataset: ProgrammeDataset) -> (dip: Int64, line: Int) {
        for dip in dataset.changeControl.dips.reversed() where dip.clusterID == target.project.ancestry.clusterID {
            if let line = dip.lines.first(where: { $0.organisationID == target.project.organisationID }) { return (dip.id, line.number) }
        }
        return (-1, -1)
    }
}

extension PermissionMatrix {
    /// Creating a DIP and importing its lines (issue 13): each stops after authorisation.
    static let dipSetupRoutes: [String: Rule] = [
        "GET /organisations/{code}/dip-setup": .organisation(.manageDIP),
        "POST /organisations/{code}/dip-setup/create": .custom(.manageDIP, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/dip-setup/create", [("supplier", ""), ("year", "")]), .unprocessableContent)
        },
        "POST /organisations/{code}/dip-setup/import": .custom(.manageDIP, .organisation) { target, _ in
            (.multipart("/organisations/\(target.organisation.code)/dip-setup/import"), .unprocessableContent)
        },
        "POST /api/v1/organisations/{code}/dips": .custom(.manageDIP, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations/\(target.organisation.code)/dips", #"{"supplier": "", "year": "2027/28"}"#), .unprocessableContent)
        },
        // The position's DIP: an agreed one refuses any import (409); a draft, a file of no lines (422).
        "POST /api/v1/organisations/{code}/dips/{id}/lines/import": .custom(.manageDIP, .organisation) { target, dataset in
            let dip = dip(of: target, in: dataset)
            return (MatrixRequest(method: .post, uri: "/api/v1/organisations/\(target.organisation.code)/dips/\(dip.id)/lines/import?dryRun=true",
                                  headers: [.contentType: "text/csv"], body: "product,site,implementation,due date\n"),
                    dip.state == .agreed ? .conflict : .unprocessableContent)
        },
    ]
}
