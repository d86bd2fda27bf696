internal import Hummingbird
internal import HTTPTypes
internal import NIOCore
internal import NIOHTTPTypes

/// An answer a channel handler gives for the connection itself, below the router, and then
/// closes it: a problem document (RFC 9457, as every error of SPEC section 8 is) with
/// `Connection: close`, so that a client reads why it was cut off rather than a bare reset.
enum ConnectionAnswer {
    static func send(_ status: HTTPResponse.Status, detail: String, on context: ChannelHandlerContext) {
        let body = Problem.bytes(status: status, detail: detail)
        let head = HTTPResponse(status: status, headerFields: [
            .contentType: "application/problem+json", .contentLength: "\(body.count)", .connection: "close",
        ])
        context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.value.writeAndFlush(NIOAny(HTTPResponsePart.end(nil))).whenComplete { _ in
            context.value.close(promise: nil)
        }
    }
}
