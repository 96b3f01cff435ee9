/// The NHS Number check (DOMAIN.md §13; NHS Data Dictionary): ten digits, the tenth a modulus-11
/// check digit. Digits one to nine are weighted 10 down to 2 and summed; the check digit is 11
/// minus the remainder mod 11, where 11 gives 0 and 10 means no valid number starts that way.
public enum NHSNumber {
    /// The check digit for the first nine digits, or nil when it would be 10.
    public static func checkDigit(_ nine: [Int]) -> Int? {
        precondition(nine.count == 9 && nine.allSatisfy { (0...9).contains($0) })
        let sum = zip(nine, stride(from: 10, through: 2, by: -1)).reduce(0) { $0 + $1.0 * $1.1 }
        return check(sum: sum)
    }

    /// Whether `text` is a valid NHS Number: ten digits, which may be grouped with spaces or
    /// hyphens ("943 476 5919").
    public static func isValid(_ text: String) -> Bool {
        var digits = Digits()
        for byte in text.utf8 { digits.add(byte) }
        return digits.verdict == .valid
    }

    static func check(sum: Int) -> Int? {
        let digit = 11 - sum % 11
        return digit == 11 ? 0 : digit == 10 ? nil : digit
    }

    /// A number read a byte at a time, as the data-quality reader streams it.
    struct Digits {
        var count = 0
        var weighted = 0
        var last = 0
        /// The first nine digits, which identify a valid number (its tenth follows from them).
        var prefix: UInt32 = 0
        var stray = false
        var blank: Bool { count == 0 && !stray }

        enum Verdict { case valid, invalid, missing }

        @inline(__always) mutating func add(_ byte: UInt8) {
            if byte &- 48 < 10 {
                let digit = Int(byte &- 48)
                if count < 9 {
                    weighted &+= digit &* (10 &- count)
                    prefix = prefix &* 10 &+ UInt32(digit)
                } else {
                    last = digit
                }
                count &+= 1
            } else if byte != 32 && byte != 45 && byte != 9 {
                stray = true
            }
        }

        var verdict: Verdict {
            if blank { return .missing }
            guard !stray, count == 10, let digit = NHSNumber.check(sum: weighted) else { return .invalid }
            return digit == last ? .valid : .invalid
        }
    }
}
