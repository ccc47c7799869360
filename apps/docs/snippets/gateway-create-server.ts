import { createServer, loadConfig } from '@orchestrator/server';

// Validated (strict objects, clear messages), `${ENV}` interpolated.
const config = await loadConfig('orchestrator.config.yaml');
const gateway = await createServer(config);

const address = await gateway.listen(); // server.host / server.port from the config
console.log(`gateway on ${address}`);

// Graceful shutdown: stop accepting, drain in-flight requests and streams, flush usage.
process.once('SIGTERM', () => void gateway.close());
