import SimCore

/// Checks a `ConfigNode` tree against a `SchemaType`, collecting every error with its
/// file, line, key path and a fix.
public enum SchemaValidator {
    public static func validate(_ node: ConfigNode, _ type: SchemaType, path: String = "") -> [ScenarioError] {
        var errors: [ScenarioError] = []
        check(node, type, path, &errors)
        return errors
    }

    static func fail(_ node: ConfigNode, _ path: String, _ type: SchemaType, _ errors: inout [ScenarioError]) {
        errors.append(ScenarioError(node.location, path: path, "expected \(type.expectation), found \(node.kindName)",
                                    fix: "write \(type.expectation)"))
    }

    static func scalarCheck<T>(_ node: ConfigNode, _ path: String, _ type: SchemaType, _ errors: inout [ScenarioError], _ parse: (String) -> Result<T, UnitError>) {
        guard let s = node.scalar else { return fail(node, path, type, &errors) }
        if case .failure(let e) = parse(s) {
            errors.append(ScenarioError(node.location, path: path, e.message, fix: e.fix))
        }
    }

    static func check(_ node: ConfigNode, _ type: SchemaType, _ path: String, _ errors: inout [ScenarioError]) {
        switch type {
        case .string:
            if node.scalar == nil { fail(node, path, type, &errors) }
        case .boolean:
            guard let s = node.scalar, s == "true" || s == "false" else { return fail(node, path, type, &errors) }
        case .integer(let lo, let hi):
            guard let s = node.scalar, case .scalar(_, false) = node.value, let v = Int64(s.replacingOccurrences(of: "_", with: "")) else {
                return fail(node, path, type, &errors)
            }
            if let lo, v < lo { errors.append(ScenarioError(node.location, path: path, "\(v) is below the minimum \(lo)", fix: "use a value ≥ \(lo)")) }
            if let hi, v > hi { errors.append(ScenarioError(node.location, path: path, "\(v) is above the maximum \(hi)", fix: "use a value ≤ \(hi)")) }
        case .number(let lo, let hi):
            guard let s = node.scalar, case .scalar(_, false) = node.value, let v = Double(s), v.isFinite else {
                return fail(node, path, type, &errors)
            }
            if let lo, v < lo { errors.append(ScenarioError(node.location, path: path, "\(s) is below the minimum \(SchemaType.fmt(lo))", fix: "use a value ≥ \(SchemaType.fmt(lo))")) }
            if let hi, v > hi { errors.append(ScenarioError(node.location, path: path, "\(s) is above the maximum \(SchemaType.fmt(hi))", fix: "use a value ≤ \(SchemaType.fmt(hi))")) }
        case .probability:
            guard let s = node.scalar, let v = Double(s), v >= 0, v <= 1 else { return fail(node, path, type, &errors) }
        case .duration: scalarCheck(node, path, type, &errors, Units.duration)
        case .rate: scalarCheck(node, path, type, &errors, Units.rate)
        case .percentage:
            // Every percentage in the model is a share of a whole (a CPU target): above 0, at most 100.
            scalarCheck(node, path, type, &errors) { s in
                Units.percentage(s).flatMap { v in
                    v > 0 && v <= 100 ? .success(v) : .failure(UnitError("\(s) is not a percentage above 0 and at most 100", fix: "use a value in (0, 100], e.g. 70"))
                }
            }
        case .speed: scalarCheck(node, path, type, &errors, Units.speed)
        case .distance: scalarCheck(node, path, type, &errors, Units.distance)
        case .enumeration(let values):
            guard let s = node.scalar else { return fail(node, path, type, &errors) }
            if !values.contains(s) {
                let hint = Suggest.closest(s, among: values).map { "did you mean '\($0)'? " } ?? ""
                errors.append(ScenarioError(node.location, path: path, "'\(s)' is not allowed here",
                                            fix: "\(hint)use one of: \(values.joined(separator: ", "))"))
            }
        case .object(let schema):
            checkObject(node, schema, path, &errors)
        case .map(let valueType, let keyDescription):
            guard let entries = node.entries else {
                if node.isNull { return }
                return fail(node, path, type, &errors)
            }
            if entries.count > SchemaType.maxMapEntries {
                return errors.append(ScenarioError(node.location, path: path, "\(entries.count) \(keyDescription)s is more than the limit of \(SchemaType.maxMapEntries)",
                                                   fix: "give at most \(SchemaType.maxMapEntries)"))
            }
            for e in entries {
                let p = path.isEmpty ? e.key : path + "." + e.key
                if !isName(e.key) {
                    errors.append(ScenarioError(e.keyLocation, path: p, "'\(e.key)' is not a valid \(keyDescription) name",
                                                fix: "use letters, digits, '_' and '-' only"))
                }
                check(e.node, valueType, p, &errors)
            }
        case .array(let itemType):
            guard let items = node.items else {
                if node.isNull { return }
                return fail(node, path, type, &errors)
            }
            if items.count > SchemaType.maxListItems {
                return errors.append(ScenarioError(node.location, path: path, "the list has \(items.count) items, more than the limit of \(SchemaType.maxListItems)",
                                                   fix: "give at most \(SchemaType.maxListItems) items"))
            }
            for (i, item) in items.enumerated() { check(item, itemType, "\(path)[\(i)]", &errors) }
        case .distribution(let unit):
            if case .failure(let e) = DistributionParser.parse(node, unit: unit, path: path) { errors += e.errors }
        case .bounded(let inner, let lo, let hi, let exclusive):
            var e: [ScenarioError] = []
            check(node, inner, path, &e)
            guard e.isEmpty else { return errors += e }
            guard let s = node.scalar, let v = SchemaType.magnitude(s, of: inner) else { return }
            let range = SchemaType.bounds(lo, hi, exclusive)
            if let lo, let l = SchemaType.magnitude(lo, of: inner), exclusive ? v <= l : v < l {
                errors.append(ScenarioError(node.location, path: path, "'\(s)' is too small: it must be\(range)", fix: "use a value\(range)"))
            } else if let hi, let h = SchemaType.magnitude(hi, of: inner), v > h {
                errors.append(ScenarioError(node.location, path: path, "'\(s)' is too large: it must be\(range)", fix: "use a value\(range)"))
            }
        case .either(let alternatives):
            var last: [ScenarioError] = []
            for alt in alternatives {
                var e: [ScenarioError] = []
                check(node, alt, path, &e)
                if e.isEmpty { return }
                last = e
            }
            if alternatives.count > 1, node.scalar != nil {
                errors.append(ScenarioError(node.location, path: path, "\(node.kindName) is not \(type.expectation)", fix: "write \(type.expectation)"))
            } else {
                errors += last
            }
        }
    }

    static func checkObject(_ node: ConfigNode, _ schema: ObjectSchema, _ path: String, _ errors: inout [ScenarioError]) {
        guard let entries = node.entries else {
            if node.isNull && !schema.fields.contains(where: \.required) { return }
            return fail(node, path, .object(schema), &errors)
        }
        for e in entries {
            let p = path.isEmpty ? e.key : path + "." + e.key
            if let f = schema.field(e.key) {
                if e.node.isNull, !f.required { continue }
                check(e.node, f.type, p, &errors)
            } else {
                let names = schema.fields.map(\.name)
                let hint = Suggest.closest(e.key, among: names).map { "did you mean '\($0)'? " } ?? ""
                errors.append(ScenarioError(e.keyLocation, path: p, "unknown key '\(e.key)'" + (path.isEmpty ? "" : " in '\(path)'"),
                                            fix: "\(hint)known keys here: \(names.joined(separator: ", "))"))
            }
        }
        for f in schema.fields where f.required && !entries.contains(where: { $0.key == f.name }) {
            errors.append(ScenarioError(node.location, path: path.isEmpty ? f.name : path + "." + f.name,
                                        "missing required key '\(f.name)'", fix: "add `\(f.name):` (\(f.description))"))
        }
        for group in schema.exclusive {
            let given = group.filter { k in entries.contains { $0.key == k && !$0.node.isNull } }
            if given.count > 1 {
                errors.append(ScenarioError(node.location, path: path, "give only one of \(given.joined(separator: ", "))",
                                            fix: "remove all but one of \(given.joined(separator: ", "))"))
            }
        }
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
