import Testing
import WaymarkCore

@Suite("IP addresses and CIDR ranges")
struct IPAddressTests {
    @Test func parsesBothFamiliesAndReadsMappedIPv4AsIPv4() throws {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("2001:DB8:0:0::1")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:192.0.2.1") == IPAddress("192.0.2.1"))
        #expect(IPAddress("fe80::1%eth0") == IPAddress("fe80::1"))
        for bad in ["", "1.2.3", "256.0.0.1", "example.org", "1.2.3.4:80", "::g"] { #expect(IPAddress(bad) == nil, "\(bad)") }
    }

    @Test func rangesContainTheirAddressesOnly() throws {
        let ten = try #require(IPNetwork("10.0.0.0/8"))
        #expect(ten.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(!ten.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!ten.contains(try #require(IPAddress("::ffff:b00:1"))), "11.0.0.1, mapped")
        #expect(ten.contains(try #require(IPAddress("::ffff:10.0.0.1"))))
        let documentation = try #require(IPNetwork("2001:db8::/32"))
        #expect(documentation.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!documentation.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(!documentation.contains(try #require(IPAddress("10.0.0.1"))))
        #expect(IPNetwork("::1")?.contains(try #require(IPAddress("::1"))) == true)
        #expect(IPNetwork("192.0.2.77/26")?.description == "192.0.2.64/26", "host bits are cleared")
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "nonsense/8"] { #expect(IPNetwork(bad) == nil, "\(bad)") }
    }

    @Test func abuseLimitsCountAnIPv6ClientByItsSlash64() {
        #expect(IPAddress("2001:db8:1:2:aaaa::1")?.abuseKey == "2001:db8:1:2::/64")
        #expect(IPAddress("2001:db8:1:2:bbbb::9")?.abuseKey == IPAddress("2001:db8:1:2::5")?.abuseKey)
        #expect(IPAddress("203.0.113.9")?.abuseKey == "203.0.113.9")
    }
}
