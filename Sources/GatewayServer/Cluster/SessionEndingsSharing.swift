// How an instance tells the others that a sealed session ended by DELETE, and hears that they
// ended one (GatewayCluster implements it over the cluster database). The server does not know
// what carries it, so it does not link a database client.

public protocol SessionEndingsSharing: Sendable {
    /// Records that the id with this digest (EndedSessionIDs.digest) ended, to be refused until
    /// `expires`; returns once the others can see it (or the attempt failed and was logged).
    func publish(digest: [UInt8], expires: Int) async
    /// Runs until the task is cancelled, calling `ended` for every ending the others share,
    /// including, at each (re)connect, those that happened while not listening.
    func listen(ended: @escaping @Sendable (_ digest: [UInt8], _ expires: Int) -> Void) async
}
