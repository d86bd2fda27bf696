internal import Hummingbird
internal import NIOCore
internal import NIOHTTPTypes

/// Admits a connection when its client holds fewer than ``ClientConnections/limit`` others; a
/// connection over the cap is answered 503 at its first request, which reaches no route, and
/// closed.
///
/// Answering at the first request rather than closing at once lets the client read why: a
/// connection closed before its request was read is reset, and a client only sees that the
/// connection failed.
final class ClientAdmissionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let connections: ClientConnections
    /// The address counted for this connection, once it is admitted.
    private var counted: String?
    /// Whether it was refused: what it sends is dropped, and its first request answered 503.
    private var refused = false

    init(connections: ClientConnections) { self.connections = connections }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { decide(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        decide(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard refused else { return context.fireChannelRead(data) }
        if case .head = unwrapInboundIn(data) {
            let detail = "this client already holds \(connections.limit) connections to the server, its most at once (serve --max-connections-per-client); close some, or use fewer at a time, and send it again"
            ConnectionAnswer.send(.serviceUnavailable, detail: detail, on: context)
        }
    }

    private func decide(_ context: ChannelHandlerContext) {
        guard counted == nil, !refused else { return }
        let client = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if connections.admit(client) { counted = client } else { refused = true }
    }

    private func release() {
        if let client = counted { connections.release(client) }
        counted = nil
    }
}
