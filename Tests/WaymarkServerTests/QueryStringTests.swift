import Foundation
import Testing
@testable import WaymarkServer

@Suite("Query strings are decoded as browsers encode forms")
struct QueryStringTests {
    @Test("'+' is a space, '%2B' a plus, and a bare name an empty value")
    func decoding() {
        let query = QueryString("q=Leeds+Royal%20Infirmary&sum=1%2B1&flag&q=second")
        #expect(query.get("q") == "Leeds Royal Infirmary", "the first value wins")
        #expect(query.get("sum") == "1+1")
        #expect(query.get("flag") == "")
        #expect(query.get("missing") == nil)
        #expect(FormBody.parse("a=x+y&a=z") == ["a": "x y"])
    }

    @Test("a multi-word search sent by a GET form finds the same records as %20")
    func multiWordSearch() async throws {
        let app = try await TestApp.make()
        let project = try #require(app.dataset.projects.first { project in
            app.dataset.organisations.first { $0.id == project.organisationID }?.name.split(separator: " ").count ?? 0 >= 3
        })
        let site = try #require(app.dataset.organisations.first { $0.id == project.organisationID })
        let name = site.name
        let words = name.split(separator: " ").prefix(3).map { String($0).addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let plus = words.joined(separator: "+")
        try await app.test { client in
            let search = try await client.execute(uri: "/search?q=\(plus)", method: .get).text
            #expect(search.contains("/organisations/\(site.code)\""), "header search")
            let list = try await client.execute(uri: "/projects?q=\(plus)", method: .get).text
            #expect(list.contains("/projects/\(project.code)\""), "project list filter")
            let csv = try await client.execute(uri: "/projects/export.csv?q=\(plus)", method: .get).text
            #expect(csv.contains("\n\(project.code),"), "export of the list")
            let api = try await client.execute(uri: "/api/v1/projects?q=\(plus)&limit=500", method: .get).text
            #expect(api.contains("\"code\":\"\(project.code)\""), "API list")
        }
    }

    @Test("no server code reads the URI's raw query parameters (they keep '+')")
    func oneDecoder() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/WaymarkServer")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders: [String] = []
        for case let file as URL in files where file.pathExtension == "swift" {
            if try String(contentsOf: file, encoding: .utf8).contains("uri.queryParameters") { offenders.append(file.lastPathComponent) }
        }
        #expect(offenders.isEmpty, "read query strings through request.queryString: \(offenders)")
    }
}
