import Synchronization

/// Character sets for the regex engine, as flat sorted lists of inclusive ranges
/// `[lo0, hi0, lo1, hi1, …]` over code points, and the tables behind them: Go's Perl and
/// POSIX classes, Unicode general categories and scripts, and simple case folding.
///
/// Categories come from `Unicode.Scalar.Properties.generalCategory` (Swift 6.3's tables are
/// Unicode 17.0, the same as Go 1.27's). Scripts come from Swift's `Regex` `\p{sc=…}`,
/// whose tables are Unicode 16.0: characters new in 17.0 belong to no script, and the four
/// scripts 17.0 added are refused (`RegexClasses.unsupportedScripts`).
enum RegexClasses {
    static let maxRune: UInt32 = 0x10FFFF

    // MARK: Range lists

    /// Sorts `r` by range start and merges overlapping or adjacent ranges.
    static func clean(_ r: [UInt32]) -> [UInt32] {
        if r.count <= 2 { return r }
        var pairs: [(UInt32, UInt32)] = []
        pairs.reserveCapacity(r.count / 2)
        var i = 0
        while i < r.count {
            pairs.append((r[i], r[i + 1]))
            i += 2
        }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }
        var out: [UInt32] = [pairs[0].0, pairs[0].1]
        for (lo, hi) in pairs.dropFirst() {
            if lo <= out[out.count - 1] &+ 1 {
                if hi > out[out.count - 1] { out[out.count - 1] = hi }
            } else {
                out.append(lo)
                out.append(hi)
            }
        }
        return out
    }

    /// The complement of a clean list within 0…0x10FFFF.
    static func negate(_ r: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var next: UInt32 = 0
        var i = 0
        while i < r.count {
            if r[i] > next { out += [next, r[i] - 1] }
            next = r[i + 1] &+ 1
            i += 2
        }
        if next <= maxRune { out += [next, maxRune] }
        return out
    }

    /// Whether `c` is in the clean list `r` (binary search).
    static func contains(_ r: [UInt32], _ c: UInt32) -> Bool {
        var lo = 0
        var hi = r.count / 2
        while lo < hi {
            let m = (lo + hi) / 2
            if c > r[2 * m + 1] {
                lo = m + 1
            } else if c < r[2 * m] {
                hi = m
            } else {
                return true
            }
        }
        return false
    }

    // MARK: Case folding

    /// Go's simple case folding orbits (`unicode.SimpleFold`): the characters that
    /// `(?i)` treats as equal. Built from Swift's single-scalar case mappings, with the
    /// three pairs CaseFolding.txt adds beyond them and without the Turkic dotless ı, whose
    /// uppercase I does not fold back to it. `Tests/…/RegexUnicodeTests` compares the
    /// result with every orbit Go 1.27 knows.
    struct Folding: Sendable {
        /// Every character with a non-trivial orbit, sorted.
        let chars: [UInt32]
        /// `orbits[k]`: the orbit of `chars[k]` (itself included), sorted.
        let orbits: [[UInt32]]

        /// The orbit of `c`, or nil when `c` folds only to itself.
        func orbit(_ c: UInt32) -> [UInt32]? {
            guard let k = index(atLeast: c), chars[k] == c else { return nil }
            return orbits[k]
        }

        /// The first index whose character is ≥ `c`.
        func index(atLeast c: UInt32) -> Int? {
            var lo = 0
            var hi = chars.count
            while lo < hi {
                let m = (lo + hi) / 2
                if chars[m] < c { lo = m + 1 } else { hi = m }
            }
            return lo < chars.count ? lo : nil
        }
    }

    /// Folding reaches nothing outside U+0041…U+1E943 (as in Go's `minFold`/`maxFold`).
    static let minFold: UInt32 = 0x41
    static let maxFold: UInt32 = 0x1E943

    static let folding: Folding = {
        var parent: [UInt32: UInt32] = [:]
        func find(_ x: UInt32) -> UInt32 {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        func union(_ a: UInt32, _ b: UInt32) {
            let ra = find(a)
            let rb = find(b)
            if parent[ra] == nil { parent[ra] = ra }
            if parent[rb] == nil { parent[rb] = rb }
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        for v in minFold...maxFold {
            guard v != 0x131, let s = Unicode.Scalar(v) else { continue }
            let p = s.properties
            guard p.changesWhenCaseMapped else { continue }
            for mapped in [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping] {
                let u = mapped.unicodeScalars
                if u.count == 1, let m = u.first?.value, m != v, m != 0x131 { union(v, m) }
            }
        }
        // CaseFolding.txt's simple foldings that no single-scalar case mapping implies.
        for (a, b) in [(0x390, 0x1FD3), (0x3B0, 0x1FE3), (0xFB05, 0xFB06)] as [(UInt32, UInt32)] { union(a, b) }
        var groups: [UInt32: [UInt32]] = [:]
        for k in parent.keys { groups[find(k), default: []].append(k) }
        var pairs: [(UInt32, [UInt32])] = []
        for g in groups.values where g.count > 1 {
            let sorted = g.sorted()
            for c in sorted { pairs.append((c, sorted)) }
        }
        pairs.sort { $0.0 < $1.0 }
        return Folding(chars: pairs.map(\.0), orbits: pairs.map(\.1))
    }()

    /// Appends `lo…hi` and every character that folds to one in it (Go's appendFoldedRange).
    static func appendFolded(_ r: inout [UInt32], _ lo: UInt32, _ hi: UInt32) {
        r += [lo, hi]
        if hi < minFold || lo > maxFold || (lo <= minFold && hi >= maxFold) { return }
        let f = folding
        guard var k = f.index(atLeast: lo) else { return }
        while k < f.chars.count && f.chars[k] <= hi {
            for c in f.orbits[k] where c < lo || c > hi { r += [c, c] }
            k += 1
        }
    }

    /// The clean case-folding closure of a clean list.
    static func folded(_ r: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        while i < r.count {
            appendFolded(&out, r[i], r[i + 1])
            i += 2
        }
        return clean(out)
    }

    // MARK: Perl and POSIX classes (ASCII only, as in Go)

    static let digit: [UInt32] = [0x30, 0x39]
    static let space: [UInt32] = [0x09, 0x0A, 0x0C, 0x0D, 0x20, 0x20]
    static let word: [UInt32] = [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A]

    /// `\d \D \s \S \w \W`: the set and whether it is negated.
    static func perl(_ c: Character) -> (set: [UInt32], negated: Bool)? {
        switch c {
        case "d": return (digit, false)
        case "D": return (digit, true)
        case "s": return (space, false)
        case "S": return (space, true)
        case "w": return (word, false)
        case "W": return (word, true)
        default: return nil
        }
    }

    /// `[:name:]` and `[:^name:]` (the text between the brackets' colons).
    static func posix(_ name: String) -> (set: [UInt32], negated: Bool)? {
        var n = Substring(name)
        var negated = false
        if n.hasPrefix("^") {
            negated = true
            n = n.dropFirst()
        }
        let set: [UInt32]
        switch n {
        case "alnum": set = [0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A]
        case "alpha": set = [0x41, 0x5A, 0x61, 0x7A]
        case "ascii": set = [0x00, 0x7F]
        case "blank": set = [0x09, 0x09, 0x20, 0x20]
        case "cntrl": set = [0x00, 0x1F, 0x7F, 0x7F]
        case "digit": set = digit
        case "graph": set = [0x21, 0x7E]
        case "lower": set = [0x61, 0x7A]
        case "print": set = [0x20, 0x7E]
        case "punct": set = [0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E]
        case "space": set = [0x09, 0x0D, 0x20, 0x20]
        case "upper": set = [0x41, 0x5A]
        case "word": set = word
        case "xdigit": set = [0x30, 0x39, 0x41, 0x46, 0x61, 0x66]
        default: return nil
        }
        return (set, negated)
    }

    // MARK: Unicode classes

    /// What a `\p{name}` names.
    enum UnicodeClass {
        /// A set; `negated` for Go's "Assigned" (the complement of Cn).
        case set([UInt32], negated: Bool)
        /// A script Go knows that Swift's script tables do not.
        case unsupportedScript(String)
    }

    /// Go's lookup: case-insensitive, ignoring `_`, `-` and spaces; the special names Any,
    /// Assigned, ASCII and LC, then categories, scripts, category aliases and script names
    /// in their written forms. Nil when Go would not know the name either.
    static func unicodeClass(_ name: String) -> UnicodeClass? {
        let key = canonical(name)
        switch key {
        case "any": return .set([0, maxRune], negated: false)
        case "assigned": return .set(categorySet(["Cn"]), negated: true)
        case "ascii": return .set([0, 0x7F], negated: false)
        default: break
        }
        if let cats = categoryNames[key] { return .set(categorySet(cats), negated: false) }
        if let script = scriptNames[key] {
            if unsupportedScripts.contains(script) { return .unsupportedScript(script) }
            guard let set = scriptSet(script) else { return .unsupportedScript(script) }
            return .set(set, negated: false)
        }
        return nil
    }

    /// Lowercased, without `_`, `-` or spaces (Go's canonicalName, up to case).
    static func canonical(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter { $0 != "_" && $0 != "-" && $0 != " " }))
            .lowercased()
    }

    /// The two-letter categories, as Swift names them.
    static let categoryCodes: [(String, Unicode.GeneralCategory)] = [
        ("Lu", .uppercaseLetter), ("Ll", .lowercaseLetter), ("Lt", .titlecaseLetter), ("Lm", .modifierLetter),
        ("Lo", .otherLetter), ("Mn", .nonspacingMark), ("Mc", .spacingMark), ("Me", .enclosingMark),
        ("Nd", .decimalNumber), ("Nl", .letterNumber), ("No", .otherNumber), ("Pc", .connectorPunctuation),
        ("Pd", .dashPunctuation), ("Ps", .openPunctuation), ("Pe", .closePunctuation), ("Pi", .initialPunctuation),
        ("Pf", .finalPunctuation), ("Po", .otherPunctuation), ("Sm", .mathSymbol), ("Sc", .currencySymbol),
        ("Sk", .modifierSymbol), ("So", .otherSymbol), ("Zs", .spaceSeparator), ("Zl", .lineSeparator),
        ("Zp", .paragraphSeparator), ("Cc", .control), ("Cf", .format), ("Cs", .surrogate), ("Co", .privateUse),
        ("Cn", .unassigned),
    ]

    /// Canonical name → the two-letter categories it covers (Go's Categories and CategoryAliases).
    static let categoryNames: [String: [String]] = {
        var m: [String: [String]] = [:]
        for (code, _) in categoryCodes { m[code.lowercased()] = [code] }
        for major in ["C", "L", "M", "N", "P", "S", "Z"] {
            m[major.lowercased()] = categoryCodes.map(\.0).filter { $0.hasPrefix(major) }
        }
        m["lc"] = ["Lu", "Ll", "Lt"]
        let aliases: [(String, String)] = [
            ("Cased_Letter", "LC"), ("Close_Punctuation", "Pe"), ("Combining_Mark", "M"),
            ("Connector_Punctuation", "Pc"), ("Control", "Cc"), ("Currency_Symbol", "Sc"), ("Dash_Punctuation", "Pd"),
            ("Decimal_Number", "Nd"), ("Enclosing_Mark", "Me"), ("Final_Punctuation", "Pf"), ("Format", "Cf"),
            ("Initial_Punctuation", "Pi"), ("Letter", "L"), ("Letter_Number", "Nl"), ("Line_Separator", "Zl"),
            ("Lowercase_Letter", "Ll"), ("Mark", "M"), ("Math_Symbol", "Sm"), ("Modifier_Letter", "Lm"),
            ("Modifier_Symbol", "Sk"), ("Nonspacing_Mark", "Mn"), ("Number", "N"), ("Open_Punctuation", "Ps"),
            ("Other", "C"), ("Other_Letter", "Lo"), ("Other_Number", "No"), ("Other_Punctuation", "Po"),
            ("Other_Symbol", "So"), ("Paragraph_Separator", "Zp"), ("Private_Use", "Co"), ("Punctuation", "P"),
            ("Separator", "Z"), ("Space_Separator", "Zs"), ("Spacing_Mark", "Mc"), ("Surrogate", "Cs"),
            ("Symbol", "S"), ("Titlecase_Letter", "Lt"), ("Unassigned", "Cn"), ("Uppercase_Letter", "Lu"),
            ("cntrl", "Cc"), ("digit", "Nd"), ("punct", "P"),
        ]
        for (alias, target) in aliases where m[canonical(alias)] == nil { m[canonical(alias)] = m[target.lowercased()] }
        return m
    }()

    /// Every code point's category as ranges, one list per two-letter code (one pass, once).
    static let categoryRanges: [String: [UInt32]] = {
        let code = Dictionary(uniqueKeysWithValues: categoryCodes.map { ($0.1, $0.0) })
        var out: [String: [UInt32]] = [:]
        var start: UInt32 = 0
        var current = "Cc"
        func category(_ v: UInt32) -> String {
            guard let s = Unicode.Scalar(v) else { return "Cs" }  // surrogates are no Scalar
            return code[s.properties.generalCategory] ?? "Cn"
        }
        for v in 1...(maxRune + 1) {
            let c = v <= maxRune ? category(v) : ""
            if c != current {
                out[current, default: []] += [start, v - 1]
                start = v
                current = c
            }
        }
        return out
    }()

    static func categorySet(_ codes: [String]) -> [UInt32] {
        clean(codes.flatMap { categoryRanges[$0] ?? [] })
    }

    /// Go 1.27's script names (Unicode 17.0's Scripts.txt, long forms).
    static let goScripts: [String] = """
        Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali \
        Beria_Erfe Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian \
        Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan \
        Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic \
        Garay Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Gurung_Khema Han Hangul \
        Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi \
        Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script \
        Khmer Khojki Khudawadi Kirat_Rai Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani \
        Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui \
        Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari \
        Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Ol_Onal Old_Hungarian \
        Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur \
        Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic \
        Samaritan Saurashtra Sharada Shavian Siddham Sidetic SignWriting Sinhala Sogdian Sora_Sompeng Soyombo \
        Sundanese Sunuwar Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Tai_Yo Takri Tamil \
        Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Todhri Tolong_Siki Toto Tulu_Tigalari \
        Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square
        """.split(separator: " ").map(String.init)

    /// The scripts Unicode 17.0 added, which Swift's script tables (16.0) do not know.
    static let unsupportedScripts: Set<String> = ["Beria_Erfe", "Sidetic", "Tai_Yo", "Tolong_Siki"]

    static let scriptNames: [String: String] = Dictionary(
        goScripts.map { (canonical($0), $0) }, uniquingKeysWith: { a, _ in a })

    /// Every assigned character outside the private-use areas (the only ones a script
    /// contains), in order, as one string for Swift's `Regex` to scan.
    static let assigned: String = {
        var v = String.UnicodeScalarView()
        for c in 0...maxRune {
            guard let s = Unicode.Scalar(c) else { continue }
            switch s.properties.generalCategory {
            case .unassigned, .privateUse, .surrogate: continue
            default: v.append(s)
            }
        }
        return String(v)
    }()

    static let scriptCache = Mutex<[String: [UInt32]]>([:])

    /// The characters of a script, from Swift's `Regex` (`\p{sc=NAME}+` over `assigned`):
    /// ~30 ms, once per script and process. Nil when Swift does not know the script.
    static func scriptSet(_ script: String) -> [UInt32]? {
        if let s = scriptCache.withLock({ $0[script] }) { return s }
        guard let rx = try? Regex("\\p{sc=\(script)}+") else { return nil }
        var out: [UInt32] = []
        for m in assigned.matches(of: rx.matchingSemantics(.unicodeScalar)) {
            // A run is contiguous in `assigned`, which skips unassigned characters: split it
            // where the code points jump.
            for s in assigned.unicodeScalars[m.range] {
                if let last = out.last, last &+ 1 == s.value {
                    out[out.count - 1] = s.value
                } else {
                    out += [s.value, s.value]
                }
            }
        }
        let set = clean(out)
        scriptCache.withLock { $0[script] = set }
        return set
    }
}
