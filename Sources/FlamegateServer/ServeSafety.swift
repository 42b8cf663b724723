/// The server's defences, kept in one place so they can be read and tested together:
/// which `Host` headers are accepted (DNS rebinding: a page on evil.example that resolves its
/// name to 127.0.0.1 sends `Host: evil.example`, and is refused with 421), and the headers
/// every response carries (a policy that allows only this server's own script files, so a
/// name that slipped through escaping still could not run).
public struct ServeSafety: Sendable {
    /// The policy: scripts only from this origin, no inline script, no plugins, no framing by
    /// other sites. Inline styles are allowed (the flame page sets sizes in style attributes).
    public static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"

    /// Headers on every response.
    public static let headers: [(String, String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ]

    /// The configuration (host, extra names).
    public var config: ServeConfiguration

    /// Checks for `config`.
    public init(config: ServeConfiguration) { self.config = config }

    /// Whether a request with this `Host` header (authority) may be answered, given the port
    /// actually bound: the bound address or name with that port, `localhost`/`127.0.0.1`/`[::1]`
    /// when bound to loopback, names given with `--allow-host`; anything when bound to every
    /// interface (`0.0.0.0`: no one name is "ours", and the bind already printed a warning).
    public func allows(host header: String?, port: Int) -> Bool {
        if config.isWildcard || config.allowedHosts.contains("*") { return true }
        guard let header, !header.isEmpty else { return false }
        let h = header.lowercased()
        var names = [bracketed(config.host.lowercased())]
        if config.isLoopback { names += ["localhost", "127.0.0.1", "[::1]"] }
        names += config.allowedHosts.map { $0.lowercased() }
        for n in names {
            if h == "\(n):\(port)" { return true }
            // A name given with its port (`--allow-host proxy.example:443`) must match whole.
            if n.contains(":") && !n.hasPrefix("[") && h == n { return true }
            // Port 80 may be left out of the header.
            if port == 80 && h == n { return true }
        }
        return false
    }

    func bracketed(_ h: String) -> String {
        h.contains(":") && !h.hasPrefix("[") ? "[\(h)]" : h
    }

    /// The URL to print and open.
    public func url(port: Int) -> String {
        let shown = config.isWildcard ? "localhost" : bracketed(config.host)
        return "http://\(shown):\(port)/"
    }

    /// The warning a non-loopback bind prints (nil on loopback).
    public var exposureWarning: String? {
        guard !config.isLoopback else { return nil }
        let target = config.isWildcard ? "every network interface" : config.host
        return
            "warning: serving on \(target): anyone who can reach it can read these profiles (function, file and label names); give --http 127.0.0.1:PORT to keep them local"
    }
}
