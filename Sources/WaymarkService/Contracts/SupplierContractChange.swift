import WaymarkCore

/// The one input for a new supplier contract, as sent; a form and a JSON body are two adapters
/// onto it. `SupplierContractService` reads it once, with errors keyed by these names.
public struct NewSupplierContract: Sendable, Hashable {
    public var reference: String
    /// The supplier's organisation code.
    public var supplier: String
    /// The code of the organisation it delivers to (and everything below it).
    public var organisation: String
    public var products: [String]
    public var startsOn: String
    public var endsOn: String?

    public init(reference: String, supplier: String, organisation: String, products: [String], startsOn: String, endsOn: String? = nil) {
        self.reference = reference
        self.supplier = supplier
        self.organisation = organisation
        self.products = products
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// From a form: `products` is a list of codes separated by spaces or commas.
    public init(form: [String: String], organisation: String) {
        self.init(reference: form["reference"] ?? "", supplier: form["supplier"] ?? "", organisation: organisation,
                  products: Self.codes(form["products"] ?? ""), startsOn: form["startsOn"] ?? "",
                  endsOn: form["endsOn"].flatMap { $0.trimmedWhitespace.isEmpty ? nil : $0 })
    }

    public static func codes(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { String($0).trimmedWhitespace.uppercased() }.filter { !$0.isEmpty }
    }

    /// The dates, read once; problems keyed by the field names.
    func dates() throws(ValidationFailure) -> (Day, Day?) {
        var errors: [FieldError] = []
        let starts = Day(iso: startsOn.trimmedWhitespace)
        if starts == nil { errors.append(FieldError(field: "startsOn", message: "Enter the start date as YYYY-MM-DD, for example 2027-04-01.")) }
        var ends: Day?
        if let endsOn {
            ends = Day(iso: endsOn.trimmedWhitespace)
            if ends == nil { errors.append(FieldError(field: "endsOn", message: "Enter the end date as YYYY-MM-DD, or leave it empty.")) }
        }
        guard errors.isEmpty, let starts else { throw ValidationFailure(errors) }
        return (starts, ends)
    }
}

/// Handing a contract's organisation and products to another supplier from a day: the old
/// contract ends the day before, and a new one starts that day. One dated change.
public struct SupplierHandover: Sendable, Hashable {
    /// The supplier taking over.
    public var supplier: String
    /// The first day the new supplier delivers.
    public var on: String
    /// The new contract's reference.
    public var reference: String
    public var expectedVersion: Int?

    public init(supplier: String, on: String, reference: String, expectedVersion: Int?) {
        self.supplier = supplier
        self.on = on
        self.reference = reference
        self.expectedVersion = expectedVersion
    }

    public init(form: [String: String]) {
        self.init(supplier: form["supplier"] ?? "", on: form["on"] ?? "", reference: form["reference"] ?? "",
                  expectedVersion: form["version"].flatMap { Int($0) })
    }
}
