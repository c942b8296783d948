/*
 * rtkit as an ES module: the same code as rtkit.js (which it runs), exported.
 *
 *   import rtkit, { connect } from '/rtkit/rtkit.mjs';
 *   const c = connect({ transports: ['sse'] });
 */
import './rtkit.js';

const rtkit = globalThis.rtkit;

export default rtkit;
export const connect = rtkit.connect;
export const Client = rtkit.Client;
export const TRANSPORTS = rtkit.TRANSPORTS;
export const DEFAULTS = rtkit.DEFAULTS;
export const VERSION = rtkit.VERSION;
