import Foundation
import HTTPTypes
import Testing
@testable import WaymarkServer
import WaymarkCore
import WaymarkService

/// One table maps every error to its status, for pages and the API alike (issue 12).
@Suite("Error table")
struct ErrorTableTests {
    @Test("each kind of service error has one status; a stale version is 412 and a missing one 428")
    func serviceKinds() {
        let expected: [(ServiceError.Kind, HTTPResponse.Status)] = [
            (.notFound, .notFound), (.badRequest, .badRequest), (.refused, .unprocessableContent), (.conflict, .conflict),
            (.staleVersion, .preconditionFailed), (.versionRequired, .preconditionRequired), (.unauthorised, .unauthorized),
            (.forbidden, .forbidden), (.tooManyRequests, .tooManyRequests),
        ]
        for (kind, status) in expected {
            #expect(ErrorTable.answer(for: ServiceError(kind, "m")).status == status, "\(kind)")
        }
        #expect(ErrorTable.answer(for: ServiceError(.tooManyRequests, "m", retryAfter: 7)).retryAfter == 7)
    }

    @Test("field errors travel with the answer; a form gets the detail as one error when there are none")
    func fieldErrors() {
        let failure = ValidationFailure([FieldError(field: "title", message: "Give it a title."), FieldError(field: "owner", message: "Name the owner.")])
        let answer = ErrorTable.answer(for: failure)
        #expect(answer.status == .unprocessableContent && answer.errors.map(\.field) == ["title", "owner"])
        #expect(answer.summary == "Give it a title. Name the owner.")
        let stale = ErrorTable.answer(for: ServiceError.stale("Reload it."))
        #expect(stale.formErrors == [FieldError(field: "", message: "Reload it.")])
        #expect(stale.errors(orOn: "version") == [FieldError(field: "version", message: "Reload it.")])
        #expect(ErrorTable.correctable(ServiceError(.notFound, "x")) == nil, "404 replaces the page")
        #expect(ErrorTable.correctable(ServiceError(.forbidden, "x")) == nil, "403 replaces the page")
        #expect(ErrorTable.correctable(ServiceError(.conflict, "x"))?.status == .conflict)
    }

    @Test("the problem body carries the field errors")
    func problemBody() throws {
        let answer = ErrorTable.answer(for: ValidationFailure([FieldError(field: "actual.go-live-completed", message: "Not in the future.")]))
        let body = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(ProblemBody(answer))) as? [String: Any])
        #expect(body["status"] as? Int == 422)
        let errors = try #require(body["errors"] as? [[String: String]])
        #expect(errors == [["field": "actual.go-live-completed", "message": "Not in the future."]])
    }

    @Test("no handler or controller maps errors itself: API handlers never catch, and nothing else switches on a service error's kind")
    func oneTable() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/WaymarkServer")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders: [String] = []
        for case let file as URL in files where file.pathExtension == "swift" && file.lastPathComponent != "ErrorTable.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let handler = file.lastPathComponent.hasPrefix("APIHandler")
            if (handler && text.contains("catch")) || text.contains("error.kind ==") || text.contains("switch error.kind") {
                offenders.append(file.lastPathComponent)
            }
        }
        #expect(offenders.isEmpty, "map errors in ErrorTable: \(offenders)")
    }
}
