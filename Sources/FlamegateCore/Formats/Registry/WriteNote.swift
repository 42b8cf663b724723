extension FormatRegistry {
    /// What a written file leaves unsaid, for stderr: folded stacks are bare numbers, so
    /// `convert --to folded` says which sample type and unit they are ("folded values are
    /// cpu/nanoseconds"); nil for formats that carry their types.
    public static func writeNote(
        _ p: Profile, as name: String, options: ProfileWriteOptions = ProfileWriteOptions(), source: String
    ) throws(InputError) -> String? {
        guard name == "folded" else { return nil }
        let si = try ProfileLoader.sampleIndex(p, options.sampleIndex, source: source)
        var note = "folded values are \(p.sampleTypes[si])"
        if p.sampleTypes.count > 1 {
            note += " (other sample types: --sample-index "
            note += p.sampleTypes.indices.filter { $0 != si }.map { p.sampleTypes[$0].type }.joined(separator: ", ")
            note += ")"
        }
        return note
    }
}
