import ArgumentParser
import FlamegateCore

/// pprof's frame and label filters, as every report and the flame graph take them.
struct FilterFlags: ParsableArguments {
    @Option(name: names("focus"), help: "Keep samples with a frame matching this regex (function, file or mapping).")
    var focus: String?
    @Option(name: names("ignore"), help: "Drop samples with a frame matching this regex.")
    var ignore: String?
    @Option(name: names("hide"), help: "Remove frames matching this regex from stacks.")
    var hide: String?
    @Option(name: names("show"), help: "Keep only frames matching this regex in stacks.")
    var show: String?
    @Option(name: names("show-from"), help: "Drop frames above the outermost frame matching this regex.")
    var showFrom: String?
    @Option(name: names("prune-from"), help: "Drop frames below (called by) the first frame matching this regex.")
    var pruneFrom: String?
    @Option(
        name: names("tagfocus"),
        help: "Keep samples whose labels match: key=regex,regex, or a numeric range such as 1kb:10kb, 100ms:, :512.")
    var tagfocus: String?
    @Option(name: names("tagignore"), help: "Drop samples whose labels match (same syntax as --tagfocus).")
    var tagignore: String?
    @Option(name: names("tagshow"), help: "Only show label keys matching this regex.")
    var tagshow: String?
    @Option(name: names("taghide"), help: "Hide label keys matching this regex.")
    var taghide: String?

    /// The library's filter options.
    var options: FilterOptions {
        FilterOptions(
            focus: focus, ignore: ignore, hide: hide, show: show, showFrom: showFrom, pruneFrom: pruneFrom,
            tagFocus: tagfocus, tagIgnore: tagignore, tagShow: tagshow, tagHide: taghide)
    }
}
