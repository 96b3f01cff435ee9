import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage

@Suite("HTML pages")
struct HTMLPageTests {
    @Test("the national dashboard rolls up every cluster with an SVG chart and security headers")
    func dashboard() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<svg class=\"chart\""))
                for cluster in NationalGeography.clusters { #expect(page.contains("/organisations/\(cluster.code)")) }
                #expect(page.contains("<td class=\"num\">\(app.dataset.projects.count)</td>") || page.contains(">\(app.dataset.projects.count)<"))
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(!csp.contains("unsafe-inline"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test("each drill-down level shows its own subtree's roll-up and its ancestors", arguments: ["CNE", "Q03", "L001"])
    func drillDown(code: String) async throws {
        let app = try await TestApp.make()
        let organisation = try #require(app.dataset.organisations.first { $0.code == code })
        let inSubtree = app.dataset.projects.filter { $0.ancestry.id(at: organisation.kind) == organisation.id }.count
        try await app.test { client in
            try await client.execute(uri: "/organisations/\(code)", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<h1>\(HTML.escape(organisation.name))</h1>"))
                #expect(page.contains("<span class=\"value\">\(inSubtree)</span><span class=\"label\">Projects</span>"))
                #expect(page.contains("class=\"breadcrumbs\""))
                #expect(page.contains("<svg class=\"chart\""))
            }
        }
    }

    @Test("an unknown organisation or project is a 404 page")
    func unknown() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            try await client.execute(uri: "/organisations/NOPE", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/projects/NOPE-CRS", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("No implementation project has the code"))
            }
        }
    }

    @Test("search finds organisations and projects by name or code, and escapes what it echoes")
    func search() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            try await client.execute(uri: "/search?q=leeds", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Leeds Local Health Community"))
            }
            try await client.execute(uri: "/search?q=Q01", method: .get) { response in
                #expect(response.text.contains("Northumberland, Tyne and Wear SHA"))
            }
            try await client.execute(uri: "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", method: .get) { response in
                #expect(!response.text.contains("<script>alert(1)</script>"))
                #expect(response.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }
    }

    @Test("the project list filters by product and stage and pages with a cursor")
    func projectList() async throws {
        let app = try await TestApp.make()
        let expected = app.dataset.projects.filter { $0.productCode == "PACS" && $0.ancestry.clusterID != nil }
        try await app.test { client in
            try await client.execute(uri: "/projects?within=CSO&product=PACS", method: .get) { response in
                #expect(response.status == .ok)
                let codes = expected.filter { $0.ancestry.clusterID == app.dataset.organisations.first { $0.code == "CSO" }!.id }.map(\.code)
                for code in codes.prefix(50) { #expect(response.text.contains(">\(code)</a>")) }
            }
            try await client.execute(uri: "/projects?stage=9", method: .get) { #expect($0.status == .badRequest) }
        }
    }
}

@Suite("Error pages")
struct ErrorPageTests {
    @Test("a 404 for a signed-in user keeps the page header with their name and sign-out")
    func signedInHeader() async throws {
        let app = try await TestApp.make()
        try await app.test(as: .trustProjectManager) { client in
            let response = try await client.execute(uri: "/projects/NO-SUCH-PROJECT", method: .get)
            #expect(response.status == .notFound)
            #expect(response.text.contains("Test Trust project manager") && response.text.contains("/sign-out"))
        }
    }
}
