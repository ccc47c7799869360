export { defaultTransportFetch } from './default-transport.js';
export {
  createTransportFetch,
  type TransportFetch,
  type TransportOptions,
} from './transport-fetch.js';
