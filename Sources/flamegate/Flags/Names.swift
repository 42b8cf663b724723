import ArgumentParser

/// Option names in every spelling users bring: `--sample-index`, `--sample_index`,
/// and pprof's single-dash `-sample_index` (values as `-flag=v` or `-flag v`).
/// (ArgumentParser evaluates this for every option at every start: keep it cheap.)
func names(_ primary: String, _ aliases: String..., short: Character? = nil) -> NameSpecification {
    var spec: [NameSpecification.Element] = short.map { [.customShort($0)] } ?? []
    var long: Set<String> = []
    var single: Set<String> = []
    for a in [primary] + aliases {
        for n in [a, String(a.map { $0 == "-" ? "_" : $0 })] {
            if long.insert(n).inserted { spec.append(.customLong(n)) }
            if single.insert(n).inserted { spec.append(.customLong(n, withSingleDash: true)) }
        }
    }
    return NameSpecification(spec)
}
