/// `--http HOST:PORT` as pprof reads `-http`: `:8080` is localhost (bound as 127.0.0.1, so it
/// is loopback whatever `localhost` resolves to), `[::1]:8080` an IPv6 address, a bare port
/// number a port on localhost.
public enum ServeAddress {
    /// Host and port; nil when the text is not an address.
    public static func parse(_ s: String) -> (host: String, port: Int)? {
        var host: Substring
        var port: Substring
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return nil }
            host = s[s.index(after: s.startIndex)..<close]
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            port = rest.dropFirst()
        } else if let colon = s.lastIndex(of: ":") {
            host = s[..<colon]
            port = s[s.index(after: colon)...]
            if host.contains(":") { return nil }
        } else if s.allSatisfy(\.isNumber) {
            (host, port) = ("", Substring(s))
        } else {
            return nil
        }
        guard let p = Int(port), p >= 0, p <= 65535 else { return nil }
        return (host.isEmpty || host == "localhost" ? "127.0.0.1" : String(host), p)
    }
}
