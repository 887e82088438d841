// Newline-delimited JSON framing for stdio pipes (ours and our children's), as NIO handlers.

import NIOCore

/// Splits a byte stream into lines; strips a trailing CR; skips blank lines.
public struct NewlineFrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = [UInt8]
    /// Guards memory against a peer that never sends a newline.
    let maximumLineLength: Int
    private var scanned = 0

    /// Guards memory against a peer that never sends a newline (shared with the blocking reader
    /// of the stdio front end).
    public static let defaultMaximumLineLength = 64 * 1024 * 1024

    /// The message a line carries: without its trailing CR; nil for a blank line.
    public static func message(inLine bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var line = Array(bytes)
        if line.last == 0x0D { line.removeLast() }
        return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : line
    }

    public init(maximumLineLength: Int = NewlineFrameDecoder.defaultMaximumLineLength) {
        self.maximumLineLength = maximumLineLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let readable = buffer.readableBytesView
        let searchStart = readable.index(readable.startIndex, offsetBy: scanned)
        guard let newline = readable[searchStart...].firstIndex(of: 0x0A) else {
            scanned = readable.count
            if scanned > maximumLineLength { throw LineTooLongError() }
            return .needMoreData
        }
        let length = newline - readable.startIndex
        scanned = 0
        guard let line = buffer.readBytes(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if let message = Self.message(inLine: line[...]) {
            context.fireChannelRead(wrapInboundOut(message))
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0, let rest = buffer.readBytes(length: buffer.readableBytes),
           !rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            context.fireChannelRead(wrapInboundOut(rest))
        }
        return .needMoreData
    }
}

public struct LineTooLongError: Error {}

/// Hands each decoded line and the end of input to closures.
public final class LineCallbackHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = [UInt8]
    private let onLine: @Sendable ([UInt8]) -> Void
    private let onClose: @Sendable (String) -> Void

    public init(onLine: @escaping @Sendable ([UInt8]) -> Void, onClose: @escaping @Sendable (String) -> Void) {
        self.onLine = onLine
        self.onClose = onClose
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onLine(unwrapInboundIn(data))
    }

    public func channelInactive(context: ChannelHandlerContext) {
        onClose("end of stream")
        context.fireChannelInactive()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelEvent, case .inputClosed = event as? ChannelEvent {
            onClose("end of stream")
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onClose("read error: \(error)")
        context.close(promise: nil)
    }
}
