import FlamegateCore
import FlamegateRender
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `flamegate serve`: Hummingbird in front of `ServeViews`. This file is the HTTP glue only:
/// routing by path, the Host check and headers of `ServeSafety`, uploads, and a cache of
/// answers per (generation, path, query) so that fifty clients asking for the same filtered
/// view of a 10 MB profile compute it once.
public enum ServeServer {
    /// Loads the inputs, binds, calls `announce` with the URL once listening, and serves until
    /// the process is stopped. A bad input or a bind failure is an `InputError` before any
    /// request is served.
    public static func run(
        _ config: ServeConfiguration, fetch: InputOpener, announce: @escaping @Sendable (String) -> Void
    ) throws(InputError) {
        let store = try ProfileStore(inputs: config.inputs, bases: config.diffBase + config.base, fetch: fetch)
        let responder = ServeResponder(
            views: ServeViews(config: config, store: store), safety: ServeSafety(config: config),
            maxUpload: config.maxUpload)
        var logger = Logger(label: "flamegate.serve")
        logger.logLevel = .warning
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(
                address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                responder.port.set(port)
                announce(ServeSafety(config: config).url(port: port))
            },
            logger: logger)
        let failure = Box<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await app.runService() } catch { failure.set("\(error)") }
            done.signal()
        }
        done.wait()
        if let f = failure.get() { throw InputError(source: "--http \(config.host):\(config.port)", f) }
    }

    /// Opens `url` in the desktop's browser when there is a display (`xdg-open`); false when
    /// there is none or it could not be started.
    public static func openBrowser(_ url: String) -> Bool {
        let env = ProcessInfo.processInfo.environment
        guard env["DISPLAY"] != nil || env["WAYLAND_DISPLAY"] != nil else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["xdg-open", url]
        return (try? p.run()) != nil
    }
}

/// A value shared between the server's tasks.
final class Box<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func get() -> T { lock.withLock { value } }
    func set(_ v: T) { lock.withLock { value = v } }
}

/// A finished answer, ready to send again.
struct CachedAnswer: Sendable {
    var status: Int
    var contentType: String
    var body: ByteBuffer
}

/// Answers by key, computed once: concurrent requests for the same key wait for the first.
final class AnswerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [String: Task<CachedAnswer, Never>] = [:]
    private var bytes = 0
    /// Bound on the cached bodies: past it the cache starts again empty (a server is asked for
    /// a few views many times, not for many views once).
    let limit = 256 << 20

    func answer(_ key: String, compute: @escaping @Sendable () -> CachedAnswer) async -> CachedAnswer {
        let (task, created): (Task<CachedAnswer, Never>, Bool) = lock.withLock {
            if let t = tasks[key] { return (t, false) }
            let t = Task.detached { compute() }
            tasks[key] = t
            return (t, true)
        }
        let a = await task.value
        // Accounted once, by the request that computed it. Errors are not kept: a retry after
        // an upload or a fixed URL should compute again.
        if created {
            lock.withLock {
                if a.status != 200 {
                    tasks[key] = nil
                } else {
                    bytes += a.body.readableBytes
                    if bytes > limit {
                        tasks = [key: task]
                        bytes = a.body.readableBytes
                    }
                }
            }
        }
        return a
    }
}

struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let views: ServeViews
    let safety: ServeSafety
    let maxUpload: Int
    let port = Box<Int>(0)
    let cache = AnswerCache()

    func respond(to request: Request, context: Context) async throws -> Response {
        let a = await answer(request)
        var headers = HTTPFields()
        headers[.contentType] = a.contentType
        for (k, v) in ServeSafety.headers { headers[HTTPField.Name(k)!] = v }
        headers[.cacheControl] = "no-store"
        return Response(
            status: HTTPResponse.Status(code: a.status), headers: headers, body: ResponseBody(byteBuffer: a.body))
    }

    func answer(_ request: Request) async -> CachedAnswer {
        guard safety.allows(host: request.head.authority, port: port.get()) else {
            return plain(
                421,
                "refused: Host '\(request.head.authority ?? "")' is not this server's address (DNS rebinding protection; --allow-host NAME accepts another name)\n"
            )
        }
        let path = request.uri.path
        let query = QueryParameters(request.uri.query ?? "")
        // HEAD is answered as GET (NIO leaves the body out).
        let method = request.method == .head ? HTTPRequest.Method.get : request.method
        switch (method, path) {
        case (.get, "/"), (.get, "/index.html"): return asset(ServePage.html, "text/html; charset=utf-8")
        case (.get, "/static/serve.js"): return asset(ServePage.script, "text/javascript; charset=utf-8")
        case (.get, "/static/serve.css"): return asset(ServePage.style, "text/css; charset=utf-8")
        case (.get, "/static/flamegraph-html.js"):
            return asset(Array(FlameGraphHTML.script.utf8), "text/javascript; charset=utf-8")
        case (.post, "/api/profiles"): return await upload(request, query)
        case (.post, _) where path.hasPrefix("/api/profiles/") && path.hasSuffix("/capture"):
            let n = Int(path.dropFirst("/api/profiles/".count).dropLast("/capture".count)) ?? -1
            do { try views.store.recapture(n) } catch { return result(ServeResult.error(400, error.description)) }
            return result(views.get("/api/profiles", QueryParameters("")))
        case (.get, _) where path.hasPrefix("/api/") || path.hasPrefix("/ui/"):
            let key = "\(views.store.generation)\u{1}\(path)\u{1}\(query.cacheKey)"
            let views = self.views
            return await cache.answer(key) { result(views.get(path, query)) }
        case (.get, _): return result(ServeResult.error(404, "no such page: \(path)"))
        default: return result(ServeResult.error(405, "\(request.method) is not served here"))
        }
    }

    /// `POST /api/profiles`: the raw body or a multipart form's file, up to `maxUpload`.
    func upload(_ request: Request, _ query: QueryParameters) async -> CachedAnswer {
        let tooLarge = ServeResult.error(413, "upload larger than --max-upload (\(maxUpload) bytes); nothing kept")
        if let cl = request.headers[.contentLength], let n = Int(cl), n > maxUpload { return result(tooLarge) }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxUpload) } catch { return result(tooLarge) }
        var data = Array(body.readableBytesView)
        var name = query.nonEmpty("name")
        if let ct = request.headers[.contentType], let boundary = MultipartUpload.boundary(contentType: ct) {
            switch MultipartUpload.parse(data, boundary: boundary) {
            case .success(let part):
                data = part.data
                name = name ?? part.filename
            case .failure(let e): return result(ServeResult.error(400, e.message))
            }
        }
        let label = name ?? "upload-\(views.store.entries.count)"
        do {
            let index = try views.store.add(data, name: label)
            var j = JSONWriter()
            j.beginObject()
            j.field("index", index)
            j.field("name", views.store.entries[index].name)
            j.endObject()
            return result(ServeResult(status: 201, contentType: ServeResult.json, body: Array((j.text + "\n").utf8)))
        } catch {
            return result(ServeResult.error(400, error.description))
        }
    }

    func plain(_ status: Int, _ text: String) -> CachedAnswer {
        CachedAnswer(status: status, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: text))
    }

    func asset(_ bytes: [UInt8], _ type: String) -> CachedAnswer {
        CachedAnswer(status: 200, contentType: type, body: ByteBuffer(bytes: bytes))
    }
}

func result(_ r: ServeResult) -> CachedAnswer {
    CachedAnswer(status: r.status, contentType: r.contentType, body: ByteBuffer(bytes: r.body))
}
