import Yams

/// Typed access to a YAML document (rules files) with errors that name the file,
/// line and column, e.g. `gate.yml:4:7: unknown key "treshold"`.
public struct YAMLValue: @unchecked Sendable {
    let node: Node
    /// The file name, for error positions.
    public let source: String

    /// Deepest nesting given to Yams: its composer recurses once per level, so a few
    /// kilobytes of `[[[[…` would otherwise overflow the stack.
    public static let maxDepth = 256

    /// Parses `text`; an empty document is an empty mapping.
    public static func parse(_ text: String, source: String) throws(InputError) -> YAMLValue {
        if let line = tooDeep(text) {
            throw InputError(source: "\(source):\(line)", "nested more than \(maxDepth) levels deep (not a rules file)")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return YAMLValue(node: Node.mapping(Node.Mapping([])), source: source)
            }
            return YAMLValue(node: node, source: source)
        } catch let e as YamlError {
            let (at, message) = YAMLValue.describe(e)
            throw InputError(source: at.map { "\(source):\($0)" } ?? source, message)
        } catch {
            throw InputError(source: source, "invalid YAML: \(error)")
        }
    }

    /// The line where nesting may first exceed `maxDepth`, or nil. A bound, not a parser:
    /// every `[`/`{` not yet closed counts (quotes and comments too, so it can only
    /// over-count), plus the line's run of leading spaces, tabs and `-`/`?`/`:`
    /// indicators, which bounds its block depth.
    static func tooDeep(_ text: String) -> Int? {
        var flow = 0
        var line = 1
        var lead = 0
        var inLead = true
        for b in text.utf8 {
            switch b {
            case 0x0A:
                line += 1
                lead = 0
                inLead = true
                continue
            case 0x5B, 0x7B: flow += 1
            case 0x5D, 0x7D: flow = max(flow - 1, 0)
            default: break
            }
            if inLead {
                if b == 0x20 || b == 0x09 || b == 0x2D || b == 0x3F || b == 0x3A { lead += 1 } else { inLead = false }
            }
            if flow + lead > maxDepth { return line }
        }
        return nil
    }

    /// libyaml's error as one line: the position ("line:column") and the problem, with
    /// what it was parsing when it found it (Yams' own description spans lines).
    static func describe(_ e: YamlError) -> (at: String?, message: String) {
        func oneLine(_ s: String) -> String {
            s.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        func withContext(_ c: YamlError.Context?, _ problem: String, _ m: Mark) -> (String?, String) {
            var msg = "invalid YAML: " + oneLine(problem)
            if let c { msg += " (\(oneLine(c.text)) at \(c.mark.line):\(c.mark.column))" }
            return ("\(m.line):\(m.column)", msg)
        }
        switch e {
        case .reader(let problem, let offset, let value, let yaml):
            var at: String? = nil
            if let offset, offset >= 0 {
                // `offset` counts Characters; find its line and column.
                var line = 1
                var column = 1
                for ch in yaml.prefix(offset) {
                    if ch.isNewline {
                        line += 1
                        column = 1
                    } else {
                        column += 1
                    }
                }
                at = "\(line):\(column)"
            }
            let what = value >= 0 ? " (character 0x\(String(value, radix: 16, uppercase: true)))" : ""
            return (at, "invalid YAML: " + oneLine(problem) + what)
        case .scanner(let c, let problem, let m, _), .parser(let c, let problem, let m, _),
            .composer(let c, let problem, let m, _):
            return withContext(c, problem, m)
        default:
            return (nil, "invalid YAML: " + oneLine("\(e)"))
        }
    }

    /// 1-based line of this value in the file, 0 when unknown.
    public var line: Int { (node.mark?.line ?? 0) }
    /// 1-based column of this value, 0 when unknown.
    public var column: Int { (node.mark?.column ?? 0) }
    /// `file:line:column`, the prefix of every error about this value.
    public var location: String { "\(source):\(line):\(column)" }

    /// An error placed at this value.
    public func error(_ message: String) -> InputError { InputError(source: location, message) }

    /// True for `~`, `null` or an empty plain scalar (a key with nothing after it).
    public var isNull: Bool {
        if case .scalar(let s) = node {
            return s.string == "~" || s.string == "null" || (s.string.isEmpty && s.style == .plain)
        }
        return false
    }

    /// The entries of a mapping, in order, checking keys against `allowed` when given.
    public func mapping(allowed: [String]? = nil, what: String) throws(InputError) -> [(String, YAMLValue)] {
        guard case .mapping(let m) = node else { throw error("\(what) must be a mapping (key: value)") }
        var out: [(String, YAMLValue)] = []
        var first: [String: YAMLValue] = [:]
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                throw YAMLValue(node: k, source: source).error("keys must be plain strings")
            }
            // YAML keeps both copies of a repeated key and readers take the last: a merge
            // conflict could silently weaken a rule. Refuse it.
            let key = YAMLValue(node: k, source: source)
            if let earlier = first[ks.string] {
                throw key.error(
                    "duplicate key \"\(ks.string)\" in \(what) (first at line \(earlier.line), column \(earlier.column))"
                )
            }
            first[ks.string] = key
            if let allowed, !allowed.contains(ks.string) {
                throw YAMLValue(node: k, source: source).error(
                    "unknown key \"\(ks.string)\" in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            out.append((ks.string, YAMLValue(node: v, source: source)))
        }
        return out
    }

    /// The items of a sequence; throws "`what` must be a list" otherwise.
    public func list(what: String) throws(InputError) -> [YAMLValue] {
        if case .sequence(let s) = node { return s.map { YAMLValue(node: $0, source: source) } }
        throw error("\(what) must be a list")
    }

    /// A scalar or a list of scalars, as strings.
    public func strings(what: String) throws(InputError) -> [String] {
        if case .scalar = node { return [try string(what: what)] }
        var out: [String] = []
        for v in try list(what: what) { out.append(try v.string(what: what)) }
        return out
    }

    /// A scalar's text (numbers included, as written); throws for lists and mappings.
    public func string(what: String) throws(InputError) -> String {
        guard case .scalar(let s) = node else { throw error("\(what) must be a string") }
        return s.string
    }

    /// A number; trailing `%` and spaces are ignored, YAML's `.nan`/`.inf` spellings accepted.
    public func double(what: String) throws(InputError) -> Double {
        guard case .scalar(let s) = node else { throw error("\(what) must be a number") }
        let text = s.string.trimming(" %")
        if let d = Double(text) { return d }
        // YAML's spellings of the special floats, so that the caller's range check names them.
        switch text.lowercased() {
        case ".nan": return .nan
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        default: throw error("\(what) must be a number")
        }
    }

    /// A boolean: true/yes/on or false/no/off, any case.
    public func bool(what: String) throws(InputError) -> Bool {
        guard case .scalar(let s) = node else { throw error("\(what) must be true or false") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(what) must be true or false, not \"\(s.string)\"")
        }
    }

    /// A string that must be one of `choices`.
    public func choice(_ choices: [String], what: String) throws(InputError) -> String {
        let s = try string(what: what)
        guard choices.contains(s) else {
            throw error("\(what) must be one of \(choices.joined(separator: ", ")), not \"\(s)\"")
        }
        return s
    }

    /// A regex, compiled, with the error placed at this value. Rules files arrive in pull
    /// requests; `Pattern` matches in linear time, so no pattern in one can stall a run.
    public func pattern(what: String) throws(InputError) -> Pattern {
        let s = try string(what: what)
        do throws(ProfileError) {
            return try Pattern(s, option: what)
        } catch {
            throw self.error(error.message)
        }
    }
}
