internal import Hummingbird
internal import NIOCore
internal import NIOHTTPTypes

/// Closes a connection whose next request has not arrived whole `timeout` after the connection
/// opened or its previous answer ended, answering 408 when that request's head has arrived and
/// no earlier answer is under way.
///
/// The idle timeout counts from the last byte read, so a client that sends a request a byte at
/// a time, a header line or a part of a body every minute, held its connection (and a file
/// descriptor of the server) as long as it liked. This bounds the whole request instead, headers
/// and body, however it trickles. The clock stops once a request has arrived whole: an answer
/// that takes long, or never ends (a subscription), is never cut short.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: Duration
    private var deadline: Scheduled<Void>?
    /// A request's head has arrived and its end has not.
    private var receiving = false
    /// An answer's head has been written and its end has not.
    private var answering = false
    /// Requests that arrived whole, and answers that ended.
    private var received = 0, answered = 0

    init(timeout: Duration) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }
    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            receiving = true
            if deadline == nil { arm(context) }
        case .body:
            break
        case .end:
            receiving = false
            received += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: answering = true
        case .body: break
        case .end:
            answering = false
            answered += 1
            // Every request that arrived is answered: the clock runs for the next.
            if !receiving, answered == received { arm(context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let timeout = TimeAmount(timeout)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            deadline = nil
            expire(context)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func expire(_ context: ChannelHandlerContext) {
        // Said only of a request under way, and only while no earlier answer is: a connection
        // with no request begun (or only its first header lines) has nothing to be told.
        guard context.channel.isActive, receiving, !answering, answered == received else {
            context.close(promise: nil)
            return
        }
        let detail = "a request must arrive whole within \(timeout.components.seconds) s of the connection's opening or of its previous answer (serve --request-timeout), and this one did not; send it again, at once"
        ConnectionAnswer.send(.requestTimeout, detail: detail, on: context)
    }
}
