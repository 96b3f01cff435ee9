import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage

/// Issue 12 defects: 400s showed Swift decoder internals, and errors named internal fields.
@Suite("Readable request errors")
struct ReadableErrorTests {
    static let json: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static let internals = ["DecodingError", "CodingKeys", "codingPath", "typeMismatch", "keyNotFound", "dataCorrupted", "Swift."]

    @Test("a body the API cannot read gets a 400 naming the field and what was wrong, without decoder internals")
    func decodingErrors() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
                var headers = Self.json
                headers[.ifMatch] = "\"\(project.version)\""
                return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)) { response in
                    (response.status, try object(response)["detail"] as? String ?? "")
                }
            }
            let cases: [(HTTPRequest.Method, String, String, String)] = [
                (.patch, "/api/v1/projects/\(project.code)/milestones/initiation-commenced", #"{"forecast": 12}"#,
                 "The field 'forecast' must be text."),
                (.post, "/api/v1/projects/\(project.code)/plan/baselines", #"{}"#, "The field 'name' is required."),
                (.post, "/api/v1/projects/\(project.code)/register", #"{"title": "x", "kind": "galaxy"}"#,
                 "The field 'kind' is not one of its allowed values"),
                (.post, "/api/v1/projects/\(project.code)/register", #"{"title": "x", "actions": [{"due": 5}]}"#, "'actions[0]."),
                (.post, "/api/v1/projects/\(project.code)/register", #"{"title": "#, "not valid JSON"),
            ]
            for (method, uri, body, expected) in cases {
                let (status, detail) = try await send(method, uri, body)
                #expect(status == .badRequest, "\(body)")
                #expect(detail.contains(expected), "\(body): \(detail)")
                for word in Self.internals { #expect(!detail.contains(word), "\(body): \(detail)") }
            }
            let query = try await client.execute(uri: "/api/v1/projects?limit=many", method: .get) { response in
                (response.status, try object(response)["detail"] as? String ?? "")
            }
            #expect(query.0 == .badRequest)
            #expect(query.1.contains("'limit'") && query.1.contains("whole number"), "\(query.1)")
            for word in Self.internals { #expect(!query.1.contains(word), "\(query.1)") }
        }
    }

    @Test("validation errors name the fields the caller sent: owner, not ownerName")
    func userFieldNames() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let body = #"{"title": "N3 circuit late", "owner": " ", "area": "IT", "priority": 2, "controllability": "C", "probability": 45}"#
            try await client.execute(uri: "/api/v1/projects/\(project.code)/register", method: .post, headers: Self.json,
                                     body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try object(response)["errors"] as? [[String: Any]] ?? []
                #expect(errors.contains { $0["field"] as? String == "owner" }, "\(errors)")
                #expect(!response.text.contains("ownerName"))
            }
        }
    }
}
