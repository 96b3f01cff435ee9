import Testing
import WaymarkCore

@Suite("User accounts and token scopes")
struct UserAccountTests {
    @Test(arguments: [("Jo.Bloggs", "jo.bloggs"), ("pm_1", "pm_1"), ("ab", nil), ("bad name", nil), ("x<script>", nil)])
    func usernamesAreNormalisedOrRefused(raw: String, expected: String?) {
        #expect(UserAccount.normalisedUsername(raw) == expected)
    }

    @Test func tokenScopeListsParseStrictly() {
        #expect(TokenScope.parseList("read, write") == [.read, .write])
        #expect(TokenScope.parseList("read") == [.read])
        #expect(TokenScope.parseList("read,admin") == nil)
        #expect(TokenScope.parseList("") == nil)
    }

    @Test func aTokenIsUsableUntilExpiryOrRevocation() {
        var token = APITokenRecord(userID: 1, name: "ci", secretHash: "h", scopes: [.read], createdAt: 0, expiresAt: 100)
        #expect(token.isUsable(at: 99))
        #expect(!token.isUsable(at: 100))
        token.revokedAt = 50
        #expect(!token.isUsable(at: 10))
        #expect(token.scopeList == "read")
    }
}
