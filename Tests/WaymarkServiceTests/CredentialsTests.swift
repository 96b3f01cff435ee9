import Testing
@testable import WaymarkService

@Suite("Passwords and secrets")
struct CredentialsTests {
    @Test func hashesUseBcryptAtCostTwelveAtLeastAndVerify() async {
        let hasher = PasswordHasher(cost: 4)
        #expect(hasher.cost == 12)
        let hash = await hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$2b$12$") || hash.hasPrefix("$2a$12$") || hash.hasPrefix("$2y$12$"))
        #expect(await hasher.verify("correct horse battery", hash: hash))
        #expect(await !hasher.verify("correct horse batterY", hash: hash))
    }

    @Test func everyByteOfALongPasswordCounts() async {
        let hasher = PasswordHasher()
        let long = String(repeating: "a", count: 80)
        // Differs only after byte 72, which plain bcrypt would ignore.
        let other = String(repeating: "a", count: 79) + "b"
        let hash = await hasher.hash(long)
        #expect(await hasher.verify(long, hash: hash))
        #expect(await !hasher.verify(other, hash: hash))
        #expect(PasswordHasher.bcryptInput(long).utf8.count == 44)
        #expect(PasswordHasher.bcryptInput("short password") == "short password")
    }

    @Test func passwordRules() {
        #expect(PasswordHasher.problem(with: "short") != nil)
        #expect(PasswordHasher.problem(with: String(repeating: "x", count: 2000)) != nil)
        #expect(PasswordHasher.problem(with: "a long enough passphrase") == nil)
    }

    @Test func secretsAreRandomAndOnlyTheirHashIsKept() {
        let a = Secrets.generate(prefix: Secrets.tokenPrefix)
        let b = Secrets.generate(prefix: Secrets.tokenPrefix)
        #expect(a != b && a.hasPrefix("wmk_") && a.count == 4 + 43)
        #expect(Secrets.hash(a).count == 64)
        #expect(Secrets.hash(a) == Secrets.hash(a))
        #expect(!Secrets.hash(a).contains(a))
    }
}
