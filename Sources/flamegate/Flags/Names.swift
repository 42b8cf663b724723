import ArgumentParser

/// Option names in every spelling users bring: `--sample-index`, `--sample_index`,
/// and pprof's single-dash `-sample_index` (values as `-flag=v` or `-flag v`).
func names(_ primary: String, _ aliases: String...) -> NameSpecification {
    var spec: [NameSpecification.Element] = [.customLong(primary)]
    var seen: Set<String> = [primary]
    for a in [primary] + aliases {
        for n in [a, a.replacingOccurrences(of: "-", with: "_")] {
            if !seen.contains(n) {
                seen.insert(n)
                spec.append(.customLong(n))
            }
            spec.append(.customLong(n, withSingleDash: true))
        }
    }
    var unique: [NameSpecification.Element] = []
    var keys: Set<String> = []
    for e in spec {
        let k = "\(e)"
        if !keys.contains(k) {
            keys.insert(k)
            unique.append(e)
        }
    }
    return NameSpecification(unique)
}

extension String {
    func replacingOccurrences(of a: Character, with b: Character) -> String {
        String(map { $0 == a ? b : $0 })
    }
}
