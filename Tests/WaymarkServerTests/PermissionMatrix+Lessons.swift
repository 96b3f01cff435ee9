import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// The Lessons routes (issue 4). Lessons are read programme-wide (`.shared`); recording one
    /// is a project write (`.custom`), sent with no title so it stops at validation.
    static let lessonRoutes: [String: Rule] = [
        "GET /lessons": .shared(.viewRecords) { target, dataset in
            let lesson = matrixLesson(target, dataset)
            return (.get("/lessons?project=\(lesson.source.projectCode)"), .ok, listed: lesson.reference)
        },
        "GET /lessons/{id}": .shared(.viewRecords) { target, dataset in
            (.get("/lessons/\(matrixLesson(target, dataset).id)"), .ok, listed: nil)
        },
        "POST /lessons/{id}/promote": .shared(.promoteLessons) { target, dataset in
            (.form("/lessons/\(matrixLesson(target, dataset).id)/promote", [("version", "0")]), .preconditionFailed, listed: nil)
        },
        "POST /projects/{code}/lessons": .custom(.recordRisks, .project) { target, _ in
            (.form("/projects/\(target.project.code)/lessons", [("area", "it"), ("title", ""), ("whatHappened", "matrix")]), .unprocessableContent)
        },
        "GET /api/v1/lessons": .shared(.viewRecords) { target, dataset in
            let lesson = matrixLesson(target, dataset)
            return (.get("/api/v1/lessons?project=\(lesson.source.projectCode)"), .ok, listed: "\"reference\":\"\(lesson.reference)\"")
        },
        "GET /api/v1/lessons/{id}": .shared(.viewRecords) { target, dataset in
            (.get("/api/v1/lessons/\(matrixLesson(target, dataset).id)"), .ok, listed: nil)
        },
        "POST /api/v1/lessons/{id}/promote": .shared(.promoteLessons) { target, dataset in
            var request = MatrixRequest.json(.post, "/api/v1/lessons/\(matrixLesson(target, dataset).id)/promote")
            request.headers[HTTPField.Name("If-Match")!] = "\"0\""
            return (request, .preconditionFailed, listed: nil)
        },
        "POST /api/v1/projects/{code}/lessons": .custom(.recordRisks, .project) { target, _ in
            (.json(.post, "/api/v1/projects/\(target.project.code)/lessons",
                   #"{"area": "it", "title": "", "whatHappened": "matrix", "recommendation": ""}"#), .unprocessableContent)
        },
    ]

    /// A lesson that is not guidance from a project delivered by the target project's supplier,
    /// so a supplier reaches it exactly where it sees that project.
    static func matrixLesson(_ target: Targets.Target, _ dataset: ProgrammeDataset) -> Lesson {
        dataset.lessons.first { !$0.isGuidance && $0.source.supplierID == target.project.supplierID }
            ?? dataset.lessons.first { !$0.isGuidance }!
    }
}
