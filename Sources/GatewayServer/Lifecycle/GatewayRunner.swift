// Runs the gateway with the chosen front end under one ServiceGroup: SIGTERM/SIGINT stop
// accepting, let in-flight calls finish within `shutdown_timeout`, then stop backends.

import GatewayConfig
import GatewayCore
import GatewaySealing
import Hummingbird
import Logging
import ServiceLifecycle

public enum GatewayRunner {
    public static func run(config: GatewayConfig, host: String, port: Int, stdio: Bool,
                           catalogCachePath: String?, sessionKeys: SealingKeyRing? = nil, logger: Logger) async throws {
        let traces = try TraceExport.make(config.telemetry.otlp, logger: logger)
        let gateway = Gateway(config: config, logger: logger, catalogCachePath: catalogCachePath, tracer: traces?.tracer)
        let identity = try FrontEndIdentity.make(config: config, logger: logger)
        let readiness = Readiness()
        let listening = stdio ? nil : StartupGate()
        let reloader = ConfigReloader(gateway: gateway, identity: identity, path: config.sourcePath, logger: logger)
        let core = GatewayService(gateway: gateway, readiness: readiness, logger: logger, listening: listening)
        // Named explicitly: the default name is "\(service)", a reflection of the whole service value
        // that costs milliseconds of conformance lookups at startup.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // First, so that it stops last (a group stops its services in reverse): spans recorded
        // while the others drain are exported too.
        if let traces { services.append(.init(service: traces.service, serviceName: "trace-export")) }
        services.append(.init(service: core, serviceName: "gateway-core"))
        if stdio {
            services.append(.init(service: StdioFrontEnd(gateway: gateway, principal: identity.stdioPrincipal, logger: logger),
                                  successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup,
                                  serviceName: "stdio-front-end"))
        } else {
            let backendCount = config.backends.count
            let scheme = config.tls == nil ? "http" : "https"
            services += try HTTPFrontEnd.makeServices(
                gateway: gateway, identity: identity, readiness: readiness, logger: logger, host: host, port: port, reloader: reloader,
                sessionKeys: sessionKeys,
                onListening: { actualPort in
                    listening?.open()
                    logger.notice("mcp-gateway listening on \(scheme)://\(host):\(actualPort)/mcp (\(backendCount) backends)")
                })
        }
        // Always: it also owns SIGHUP, whose default action would end the process.
        services.append(.init(service: ConfigReloadService(reloader: reloader, interval: .seconds(1), logger: logger),
                              serviceName: "config-reload"))
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = config.server.shutdownTimeout + .seconds(10)
        configuration.maximumCancellationDuration = .seconds(10)
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
    }
}
