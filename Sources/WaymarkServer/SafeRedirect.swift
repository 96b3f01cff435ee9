/// Redirect targets taken from a request (`next=` after sign-in) must stay on this site:
/// a relative path, never a scheme, a host (`//evil`), a backslash or a control character.
enum SafeRedirect {
    static func target(_ raw: String?, fallback: String = "/") -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), raw.utf8.count <= 2000,
              !raw.contains("\\"), !raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
              !raw.hasPrefix("/sign-in"), !raw.hasPrefix("/sign-out") else { return fallback }
        return raw
    }
}
