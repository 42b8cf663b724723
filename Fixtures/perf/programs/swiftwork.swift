// swiftwork.swift - a small CPU-bound Swift program for Flamegate's perf fixtures.
//
// Call paths perf should see (mangled as $s9swiftwork...):
//   dictionaryWork: Dictionary<String, Int> insertions and lookups (libswiftCore)
//   encodeWork:     JSONEncoder encoding of an array of Codable structs (libFoundation*)
//   closureWork:    a stored closure called in a loop, plus map/filter/reduce
// Run time is about 2 seconds; pass a number of seconds to change it.
import Foundation

struct Item: Codable {
    var id: Int
    var name: String
    var score: Double
    var tags: [String]
}

final class Worker {
    var table: [String: Int] = [:]
    var transform: (Int) -> Int

    init(factor: Int) {
        transform = { x in (x &* factor) ^ (x >> 3) }
    }

    @inline(never)
    func dictionaryWork(round: Int) -> Int {
        var hits = 0
        for i in 0..<2_000 {
            table["key-\(i &+ round)"] = i
        }
        for i in 0..<2_000 {
            if let v = table["key-\(i)"] {
                hits &+= v
            }
        }
        if table.count > 50_000 {
            table.removeAll(keepingCapacity: true)
        }
        return hits
    }

    @inline(never)
    func encodeWork(round: Int) -> Int {
        let items = (0..<200).map { i in
            Item(id: i &+ round, name: "item-\(i)", score: Double(i) * 0.5, tags: ["a", "b\(i % 7)"])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try! encoder.encode(items)
        return data.count
    }

    @inline(never)
    func closureWork(round: Int) -> Int {
        var acc = round
        for i in 0..<20_000 {
            acc = transform(acc &+ i)
        }
        let mapped = (0..<5_000).map { transform($0) }.filter { $0 & 1 == 0 }
        return acc &+ mapped.reduce(0, &+)
    }
}

@inline(never)
func runAll(seconds: Double) -> Int {
    let worker = Worker(factor: 2_654_435_761)
    let start = Date()
    var total = 0
    var round = 0
    while Date().timeIntervalSince(start) < seconds {
        total &+= worker.dictionaryWork(round: round)
        total &+= worker.encodeWork(round: round)
        total &+= worker.closureWork(round: round)
        round &+= 1
    }
    return total
}

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 2.0 : 2.0
print("swiftwork done \(runAll(seconds: seconds))")
