import FlamegateCore
import Foundation

/// Helpers for the flame graph and call tree tests.
public enum Flame {
    /// A profile from folded lines (`a;b;c 5`, or `a;b 3 7` for base/candidate), built by hand.
    public static func profile(_ text: String, column: Int = 0) -> Profile {
        var p = Profile(sampleTypes: [ValueType(type: "samples", unit: "count")])
        var loc: [String: Int32] = [:]
        for line in text.split(separator: "\n") {
            var parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            let counts = parts.count >= 3 && Int64(parts[parts.count - 2]) != nil ? 2 : 1
            let values = parts.suffix(counts).map { Int64($0)! }
            parts.removeLast(counts)
            let stack = parts.joined(separator: " ")
            var locs: [Int32] = []
            for f in stack.split(separator: ";").reversed() {
                let name = String(f)
                if let l = loc[name] {
                    locs.append(l)
                    continue
                }
                let fi = Int32(p.functions.count)
                p.functions.append(Function(id: UInt64(fi + 1), name: p.strings.intern(name)))
                p.lines.append(Line(function: fi))
                let li = Int32(p.locations.count)
                p.locations.append(Location(id: UInt64(li + 1), lineStart: li, lineCount: 1))
                loc[name] = li
                locs.append(li)
            }
            p.samples.append(locations: locs, values: [values[min(column, values.count - 1)]])
        }
        return p
    }

    public struct Frame: Equatable, CustomStringConvertible, Sendable {
        public var name: String
        public var x: Double
        public var y: Double
        public var width: Double
        public var fill: String
        public var title: String
        public var description: String { "\(name)@(\(x),\(y)) w=\(width) \(fill)" }
    }

    /// Frames of an SVG (Flamegate's or flamegraph.pl's): title, rect geometry, fill.
    public static func frames(_ svg: String) -> [Frame] {
        guard let r = svg.range(of: "<g id=\"frames\">") else { return [] }
        let body = String(svg[r.upperBound...])
        let re = try! NSRegularExpression(
            pattern:
                #"<g[^>]*>\s*<title>([^<]*)</title><rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="[^"]+" fill="([^"]+)""#
        )
        let ns = body as NSString
        return re.matches(in: body, range: NSRange(location: 0, length: ns.length)).map { m in
            let title = ns.substring(with: m.range(at: 1))
            var name = title.components(separatedBy: "\n")[0]
            if !title.contains("\n"), let p = name.range(of: " (", options: .backwards) {
                name = String(name[..<p.lowerBound])
            }
            return Frame(
                name: name, x: Double(ns.substring(with: m.range(at: 2)))!,
                y: Double(ns.substring(with: m.range(at: 3)))!,
                width: Double(ns.substring(with: m.range(at: 4)))!, fill: ns.substring(with: m.range(at: 5)),
                title: title)
        }
    }

    public static let hostile = "</title><script>alert(1)</script>"
}
