/// Something HTTP responses are read from: a socket, or bytes in memory in tests.
public protocol ByteSource: AnyObject {
    /// One line without its CRLF; nil at EOF.
    func readLine() throws(ClientError) -> String?
    /// Exactly `count` bytes.
    func readExactly(_ count: Int) throws(ClientError) -> [UInt8]
    /// Some bytes; nil at EOF.
    func readSome() throws(ClientError) -> [UInt8]?
}

extension SocketConnection: ByteSource {}
