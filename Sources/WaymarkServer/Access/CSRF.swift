import Foundation
import HTTPTypes
import Hummingbird
import WaymarkService

/// Double-submit CSRF protection for HTML forms: a random token in an HttpOnly, SameSite
/// cookie must match the form's hidden field, and a cross-site Origin is refused outright.
/// The cookie is independent of the session, so the sign-in form is protected too.
struct CSRF {
    static let cookieName = "waymark_csrf"

    /// The token to put in a form, and a Set-Cookie value when the browser has none yet.
    func token(for request: Request, secure: Bool) -> (token: String, setCookie: String?) {
        if let existing = request.cookies[Self.cookieName]?.value, Self.isWellFormed(existing) {
            return (existing, nil)
        }
        let token = Secrets.generate()
        let cookie = "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
        return (token, cookie)
    }

    /// Refuses the request unless its Origin (when sent) is this site and the form token matches the cookie.
    func verify(_ request: Request, formToken: String?) throws {
        if let origin = request.headers[HTTPField.Name("Origin")!] {
            let host = request.head.authority ?? ""
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            guard !host.isEmpty, originHost == host else {
                throw HTTPError(.forbidden, message: "This form was submitted from another site (Origin \(origin)), so it was refused.")
            }
        }
        guard let cookie = request.cookies[Self.cookieName]?.value, let formToken,
              Self.constantTimeEqual(cookie, formToken), Self.isWellFormed(cookie) else {
            throw HTTPError(.forbidden, message: "The form's security token is missing or has expired. Reload the page and submit it again.")
        }
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { b in
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 95
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Parses an application/x-www-form-urlencoded body into the first value of each name.
enum FormBody {
    static let maximumBytes = 64 * 1024

    /// The fields by name, keeping the first of repeated names.
    static func parse(_ text: String) -> [String: String] {
        FormURLEncoding.pairs(text).reduce(into: [:]) { fields, pair in
            if fields[pair.key] == nil { fields[pair.key] = pair.value }
        }
    }
}
