import NIOCore
import NIOPosix
import NIOSSL

/// A TLS front for a `LoopbackServer`: terminates TLS with the committed self-signed
/// certificate (`Tests/Fixtures/tls`, CN and SAN localhost/127.0.0.1) and relays bytes
/// both ways to the plain server, so every hostile route is also served over `https://`.
/// The relay reads from one side only while the other accepts writes (back-pressure), so
/// a flooding route cannot grow this process either.
public final class TLSFrontServer: @unchecked Sendable {
    public let port: Int
    public var base: String { "https://127.0.0.1:\(port)" }
    private let channel: Channel

    /// The committed test certificate, PEM (what the client is told to trust).
    public static func certificatePEM() throws -> String { try Fixtures.read("tls/cert.pem") }

    public init(backendPort: Int) throws {
        let cert = try NIOSSLCertificate.fromPEMFile(Fixtures.path("tls/cert.pem"))
        let key = try NIOSSLPrivateKey(file: Fixtures.path("tls/key.pem"), format: .pem)
        let config = TLSConfiguration.makeServerConfiguration(
            certificateChain: cert.map { .certificate($0) }, privateKey: .privateKey(key))
        let context = try NIOSSLContext(configuration: config)
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { front in
                let relay = Relay()
                do {
                    try front.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try front.pipeline.syncOperations.addHandler(relay)
                } catch {
                    return front.eventLoop.makeFailedFuture(error)
                }
                return ClientBootstrap(group: front.eventLoop)
                    .channelInitializer { back in
                        back.eventLoop.makeCompletedFuture {
                            try back.pipeline.syncOperations.addHandler(Relay(partner: front))
                        }
                    }
                    .connect(host: "127.0.0.1", port: backendPort)
                    .map { back in relay.attach(back) }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    public func stop() { try? channel.close().wait() }
}

/// One direction of the relay: what this channel reads is written to the partner
/// (held until the partner is connected).
private final class Relay: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var partner: Channel?
    private var pending: [ByteBuffer] = []

    init(partner: Channel? = nil) { self.partner = partner }

    func attach(_ p: Channel) {
        partner = p
        for b in pending { p.write(b, promise: nil) }
        pending = []
        p.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let b = unwrapInboundIn(data)
        guard let p = partner else { return pending.append(b) }
        p.writeAndFlush(b, promise: nil)
        if !p.isWritable { _ = context.channel.setOption(ChannelOptions.autoRead, value: false) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // This side drained: let the partner read again.
        if context.channel.isWritable { _ = partner?.setOption(ChannelOptions.autoRead, value: true) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
