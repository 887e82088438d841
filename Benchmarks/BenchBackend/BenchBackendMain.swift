// Placeholder until the bench backend lands.
@main struct BenchBackendMain { static func main() {} }
