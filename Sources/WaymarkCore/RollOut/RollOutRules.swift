/// What a template must hold, and how a roll-out places sites into waves (issue 13). Pure: the
/// service reads the sites, projects and contracts, and stores what this plans.
public enum RollOutRules {
    /// Every problem with a template, keyed by field (`offset.<milestone>` for each offset).
    public static func check(_ t: RollOutTemplate) -> [FieldError] {
        var errors: [FieldError] = []
        if !SupplierContractRules.isReference(t.code) { errors.append(FieldError(field: "code", message: "Give the template a code of letters, digits, dots, dashes or underscores.")) }
        if t.name.trimmedWhitespace.isEmpty { errors.append(FieldError(field: "name", message: "Give the template a name.")) }
        if ProductCatalogue.product(code: t.productCode) == nil {
            errors.append(FieldError(field: "product", message: "'\(t.productCode.prefix(12))' is not a product in the catalogue."))
        }
        var previous: (MilestoneKind, Int)?
        for kind in t.type.mandatoryMilestones {
            guard let offset = t.offsets[kind] else {
                errors.append(FieldError(field: MilestoneRules.field("offset", kind), message: "Give a baseline for \(kind.title), in working days from the wave start."))
                continue
            }
            if offset < 0 || offset > 2000 {
                errors.append(FieldError(field: MilestoneRules.field("offset", kind), message: "\(kind.title) is 0 to 2,000 working days from the wave start."))
            }
            if let (before, days) = previous, offset < days {
                errors.append(FieldError(field: MilestoneRules.field("offset", kind), message: "\(kind.title) cannot come before \(before.title)."))
            }
            previous = (kind, offset)
        }
        for kind in t.offsets.keys where !t.type.mandatoryMilestones.contains(kind) {
            errors.append(FieldError(field: MilestoneRules.field("offset", kind), message: "An \(t.type.rawValue.uppercased()) project has no \(kind.title) milestone."))
        }
        if let catalogue = NSIProductCatalogue.version(t.catalogueVersion) {
            for code in t.documents where catalogue.product(code: code) == nil {
                errors.append(FieldError(field: "documents", message: "\(code) is not in NSI catalogue version \(t.catalogueVersion)."))
            }
        } else {
            errors.append(FieldError(field: "catalogueVersion", message: "There is no NSI catalogue version \(t.catalogueVersion)."))
        }
        return errors
    }

    /// Problems with the waves: none, a start in the past, a capacity below one, or out of order.
    public static func check(_ waves: [RollOutWave], today: Day) -> [FieldError] {
        var errors: [FieldError] = []
        if waves.isEmpty { errors.append(FieldError(field: "waves", message: "Give at least one wave: a start date and sites per week.")) }
        for (index, wave) in waves.enumerated() {
            if wave.start < today { errors.append(FieldError(field: "waves", message: "Wave \(index + 1) starts on \(wave.start.iso), which has passed.")) }
            if wave.perWeek < 1 { errors.append(FieldError(field: "waves", message: "Wave \(index + 1) must take at least one site a week.")) }
            if index > 0, wave.start <= waves[index - 1].start {
                errors.append(FieldError(field: "waves", message: "Wave \(index + 1) must start after wave \(index)."))
            }
        }
        return errors
    }

    /// Each site's wave (1-based) and start: weekly slots of each wave's capacity, in order,
    /// until the next wave starts; the last wave takes every remaining site.
    public static func schedule(sites count: Int, waves: [RollOutWave]) -> [(wave: Int, start: Day)] {
        var slots: [(Int, Day)] = []
        slots.reserveCapacity(count)
        for (index, wave) in waves.enumerated() {
            var week = 0
            while slots.count < count {
                let start = wave.start.adding(days: 7 * week)
                if index + 1 < waves.count, start >= waves[index + 1].start { break }
                for _ in 0..<wave.perWeek where slots.count < count { slots.append((index + 1, start)) }
                week += 1
            }
        }
        return slots
    }
}
