import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer

@Suite("HTTP details: HSTS, caching, HEAD, 405, the Bearer scheme and token refusals")
struct HTTPDetailsTests {
    @Test("HSTS goes out when the request arrived over TLS, never over plain HTTP")
    func strictTransportSecurity() async throws {
        let app = try await TestApp.make()
        try await app.test(nil, configuration: ServerConfiguration(secureCookies: true)) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.headers[.strictTransportSecurity] == "max-age=31536000")
        }
        try await app.test(nil) { client in
            // No trusted proxy is configured, so a client's own X-Forwarded-Proto means nothing.
            let health = try await client.execute(uri: "/health", method: .get,
                                                  headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(health.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test("signed-in API answers are not stored by caches")
    func noStore() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            for uri in ["/api/v1/projects?limit=1", "/api/v1/organisations?limit=1", "/api/v1/projects/NO-SUCH-PROJECT"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
            }
            let spec = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(spec.headers[.cacheControl] == nil, "public")
        }
    }

    @Test("HEAD answers wherever GET does, with no body")
    func head() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            for uri in ["/health", "/projects", "/api/v1/projects?limit=1", "/static/waymark.css", "/api/v1/openapi.yaml"] {
                let get = try await client.execute(uri: uri, method: .get)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(head.status == .ok, "\(uri)")
                #expect(head.body.readableBytes == 0, "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
            }
        }
        try await app.test(nil) { client in
            let health = try await client.execute(uri: "/health", method: .head)
            #expect(health.status == .ok, "signed out")
        }
    }

    @Test("a method a known path does not answer gets 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let health = try await client.execute(uri: "/health", method: .post)
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers[.allow] == "GET, HEAD")
            let page = try await client.execute(uri: "/projects/\(project.code)", method: .delete)
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers[.allow] == "GET, HEAD")
            let api = try await client.execute(uri: "/api/v1/projects/\(project.code)", method: .delete)
            #expect(api.status == .methodNotAllowed)
            #expect(api.headers[.allow]?.contains("GET") == true)
            #expect(api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let milestone = try await client.execute(uri: "/api/v1/projects/\(project.code)/milestones/go-live-completed", method: .get)
            #expect(milestone.status == .methodNotAllowed)
            #expect(milestone.headers[.allow] == "PATCH")
            #expect(try await client.execute(uri: "/no/such/page", method: .post).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/no-such-thing", method: .get).status == .notFound)
        }
    }

    @Test("the Bearer scheme is case-insensitive (RFC 9110)", arguments: ["Bearer", "bearer", "BEARER", "bEaReR"])
    func bearerScheme(scheme: String) async throws {
        let app = try await TestApp.make()
        let credentials = try await app.signIn(.nationalProgrammeOffice)
        try await app.test(credentials) { client in
            let response = try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get,
                                                    headers: [.authorization: "\(scheme) \(credentials.token)"])
            #expect(response.status == .ok)
            let basic = try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get,
                                                 headers: [.authorization: "Basic \(credentials.token)"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test("a read-only token's refusal names the token's scope, not the role")
    func readOnlyToken() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        let readOnly = try await app.signIn(.nationalProgrammeOffice, tokenScopes: [.read])
        try await app.test(readOnly) { client in
            let write = try await client.execute(uri: "/api/v1/projects/\(project.code)/milestones/initiation-commenced", method: .patch,
                                                 headers: [.contentType: "application/json", .ifMatch: "\"\(project.version)\""],
                                                 body: ByteBuffer(string: #"{"forecast": "2027-01-15"}"#))
            #expect(write.status == .forbidden)
            #expect(write.text.contains("read-only") && write.text.contains("write scope"))
            #expect(!write.text.contains("Your role"))
        }
    }
}
