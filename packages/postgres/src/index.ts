export type * from './gateway-store.js';
