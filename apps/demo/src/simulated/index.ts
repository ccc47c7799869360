export { SIMULATED_KEY } from './build-fleet-model.js';
export { FAULTS, type Fault, faultScript, isFault } from './fault-scripts.js';
export { Fleet, type FleetOptions, type LazyState, type ProviderStatus } from './fleet.js';
export {
  FLEET,
  FLEET_PROVIDERS,
  type FleetModelSpec,
  type FleetProvider,
  PROVIDER_LABELS,
} from './fleet-catalogue.js';
export { type Env, type ProviderMode, resolveProviderModes } from './provider-env.js';
