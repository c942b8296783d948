import { Client, DEFAULTS, TRANSPORTS } from './client.mjs';

/** The client's version: the Maven project version, written in by the build. */
const VERSION = '@VERSION@';

/** Opens a client; see DEFAULTS for the options. */
function connect(options) {
  return new Client(options || {});
}

const rtkit = Object.freeze({ VERSION: VERSION, TRANSPORTS: TRANSPORTS.slice(), DEFAULTS: DEFAULTS, connect: connect, Client: Client });

export default rtkit;
export { connect, Client, DEFAULTS, TRANSPORTS, VERSION };
