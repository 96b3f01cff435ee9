import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The risk and issue register routes (issue 4).
    static let trackingRoutes: [String: Rule] = {
        var routes: [String: Rule] = [
            "GET /organisations/{code}/register": .organisation(.viewRecords),
            "GET /organisations/{code}/register.csv": .organisation(.exportRecords),
            "GET /organisations/{code}/register/heatmap": .organisation(.viewRecords),
            "GET /projects/{code}/register": .project(.viewRecords),
            "GET /projects/{code}/register.csv": .project(.exportRecords),
            // A record with no title: past authorisation it is refused as 422, so nothing is added.
            "POST /organisations/{code}/register": .custom(.recordRisks, .organisation) { target, _ in
                (.form("/organisations/\(target.organisation.code)/register", [("title", "")]), .unprocessableContent)
            },
            "POST /projects/{code}/register": .custom(.recordRisks, .project) { target, _ in
                (.form("/projects/\(target.project.code)/register", [("title", "")]), .unprocessableContent)
            },
            // An import with no file.
            "POST /organisations/{code}/register/import": .custom(.recordRisks, .organisation) { target, _ in
                (.multipart("/organisations/\(target.organisation.code)/register/import"), .unprocessableContent)
            },
            "POST /projects/{code}/register/import": .custom(.recordRisks, .project) { target, _ in
                (.multipart("/projects/\(target.project.code)/register/import"), .unprocessableContent)
            },
            "GET /tracking/{id}": .custom(.viewRecords, .project) { target, dataset in
                (.get("/tracking/\(trackingItem(of: target, in: dataset))"), .ok)
            },
        ]
        // Changes with a required field left empty: 422 once past authorisation.
        for (suffix, field) in [("", "title"), ("/escalate", "reason"), ("/de-escalate", "reason"), ("/convert", "occurredOn")] {
            routes["POST /tracking/{id}\(suffix)"] = .custom(.recordRisks, .project) { target, dataset in
                (.form("/tracking/\(trackingItem(of: target, in: dataset))\(suffix)", [(field, "")]), .unprocessableContent)
            }
        }
        // The API: the same checks, with JSON bodies that fail validation once authorised.
        routes["GET /api/v1/organisations/{code}/register"] = .organisation(.viewRecords)
        routes["GET /api/v1/organisations/{code}/register/heatmap"] = .organisation(.viewRecords)
        routes["GET /api/v1/projects/{code}/register"] = .project(.viewRecords)
        routes["POST /api/v1/organisations/{code}/register"] = .custom(.recordRisks, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations/\(target.organisation.code)/register", #"{"title": ""}"#), .unprocessableContent)
        }
        routes["POST /api/v1/projects/{code}/register"] = .custom(.recordRisks, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/register", #"{"title": ""}"#), .unprocessableContent)
        }
        routes["POST /api/v1/organisations/{code}/register/import"] = .custom(.recordRisks, .organisation) { target, _ in
            (.csv("/api/v1/organisations/\(target.organisation.code)/register/import"), .unprocessableContent)
        }
        routes["POST /api/v1/projects/{code}/register/import"] = .custom(.recordRisks, .project) { target, _ in
            (.csv("/api/v1/projects/\(target.project.code)/register/import"), .unprocessableContent)
        }
        routes["GET /api/v1/tracking/{id}"] = .custom(.viewRecords, .project) { target, dataset in
            (.get("/api/v1/tracking/\(trackingItem(of: target, in: dataset))"), .ok)
        }
        // Register writes need If-Match (issue 12: 428 without it), so the matrix sends the record's own.
        routes["PATCH /api/v1/tracking/{id}"] = .custom(.recordRisks, .project) { target, dataset in
            (trackingWrite(.patch, "/api/v1/tracking/\(trackingItem(of: target, in: dataset))", #"{"title": ""}"#, target, dataset),
             .unprocessableContent)
        }
        for (suffix, body) in [("escalate", #"{"reason": ""}"#), ("de-escalate", #"{"reason": ""}"#), ("convert", #"{"occurredOn": "soon"}"#)] {
            routes["POST /api/v1/tracking/{id}/\(suffix)"] = .custom(.recordRisks, .project) { target, dataset in
                (trackingWrite(.post, "/api/v1/tracking/\(trackingItem(of: target, in: dataset))/\(suffix)", body, target, dataset),
                 .unprocessableContent)
            }
        }
        return routes
    }()

    static func trackingWrite(_ method: HTTPRequest.Method, _ uri: String, _ body: String, _ target: Targets.Target,
                              _ dataset: ProgrammeDataset) -> MatrixRequest {
        let id = trackingItem(of: target, in: dataset)
        let version = dataset.tracking.first { $0.id == id }?.version ?? 1
        return MatrixRequest(method: method, uri: uri, headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"\(version)\""],
                             body: body)
    }

    /// A record in the register of the target's project (or, if it has none, of a project at
    /// the same organisation and supplier, which sits in exactly the same scopes).
    static func trackingItem(of target: Targets.Target, in dataset: ProgrammeDataset) -> Int64 {
        let project = target.project
        let projects = Dictionary(uniqueKeysWithValues: dataset.projects.map { ($0.id, $0) })
        return dataset.tracking.first { $0.owner.projectID == project.id }?.id
            ?? dataset.tracking.first { item in
                item.owner.projectID.flatMap { projects[$0] }.map { $0.organisationID == project.organisationID && $0.supplierID == project.supplierID } ?? false
            }?.id ?? 0
    }
}
