// Type declarations of rtkit.js: the ES module (rtkit.mjs), the classic script (global `rtkit`) and the npm
// package @rtkit/client. Checked by client/test/types (a strict consumer compiles; wrong calls do not).

/** The five transports, in the default order. */
export type TransportName = 'websocket' | 'sse' | 'stream' | 'longpoll' | 'poll';

/** Why the client left a transport; sent to the server as fallback=<from>.<code>. */
export type FallbackCode = 'handshake' | 'timeout' | 'heartbeat' | 'buffering' | 'error';

export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of connect(); UNIT of every *Delay, *Interval and *Timeout: milliseconds. */
export interface Options {
  /** Base URL of the rtkit servlet, relative to the page or absolute. Default '/rt'. */
  url?: string;
  /** Transports to try, in order; one name forces that transport. Default: all five. */
  transports?: readonly TransportName[];
  /** Pause between two polls of the 'poll' transport. Default 1000. */
  pollInterval?: number;
  /** Silence after which a connection is declared dead. Default 45000. */
  heartbeatTimeout?: number;
  /** How long a transport may take to open before the next one is tried. Default 10000. */
  openTimeout?: number;
  /** First reconnect delay bound, doubled per failed attempt (full jitter). Default 500. */
  reconnectDelay?: number;
  /** Cap of the reconnect delay bound. Default 30000. */
  maxReconnectDelay?: number;
  /** How long a publish waits for its acknowledgement. Default 10000. */
  publishTimeout?: number;
  /** Share one server connection between the tabs of this origin using the same url. Default true. */
  share?: boolean;
}

/** A message as delivered: `data` is the published JSON value (or string). */
export interface Message<T = unknown> {
  type?: 'message';
  topic: string;
  /** "<epoch>-<seq>", e.g. "mi3fk2a-42". */
  id: string;
  data: T;
  /** The event name given at publish, if any. */
  event?: string;
}

/** The server could not resume a topic from the client's position; delivery continues from `next`. */
export interface Gap {
  type?: 'gap';
  topic: string;
  reason: 'expired' | 'epoch' | 'unknown';
  since?: string;
  next?: string;
}

/** What publish() resolves with. */
export interface Published {
  topic: string;
  id: string;
}

export interface SubscribeOptions {
  /** Resume after this message id. */
  since?: string;
}

export interface PublishOptions {
  /** An event name (SSE `event:` line). */
  event?: string;
}

export interface OpenEvent {
  transport: TransportName;
}

export interface ReconnectingEvent {
  attempt: number;
  /** The delay chosen before the next attempt, ms. */
  delay: number;
  transport: TransportName;
  reason: string;
}

export interface TransportEvent {
  /** The transport now tried. */
  name: TransportName;
  /** The transport left. */
  from: TransportName;
  reason: string;
  code: FallbackCode;
}

/** An error event: for a refused topic `topic` and (over HTTP) `status` say which and why. */
export interface RtkitError extends Error {
  topic?: string;
  status?: number;
  /** The server's own words for a refusal. */
  reason?: string;
}

/** Each event's payload. */
export interface ClientEvents {
  open: OpenEvent;
  reconnecting: ReconnectingEvent;
  transport: TransportEvent;
  gap: Gap;
  error: RtkitError;
  message: Message;
  close: undefined;
}

export type ClientEventName = keyof ClientEvents;

export interface Stats {
  requests: number;
  bytesReceived: number;
  messagesReceived: number;
  duplicates: number;
  emptyResponses: number;
  heartbeats: number;
  reconnects: number;
  transportSwitches: number;
  gaps: number;
  published: number;
}

export interface Client {
  readonly options: Readonly<Required<Options>>;
  /** The absolute base URL. */
  readonly url: string;
  /** The current transport (of the leader's connection, in a tab that shares one). */
  readonly transport: TransportName;
  readonly state: ClientState;
  /** Whether this tab holds the server connection (true unless another tab leads a shared one). */
  readonly leader: boolean;
  readonly stats: Stats;
  subscribe<T = unknown>(topic: string, onMessage?: (this: Client, message: Message<T>) => void, options?: SubscribeOptions): this;
  unsubscribe(topic: string): this;
  topics(): string[];
  publish(topic: string, data: unknown, options?: PublishOptions): Promise<Published>;
  /** Returns the function that removes the listener. */
  on<K extends ClientEventName>(event: K, listener: (this: Client, value: ClientEvents[K]) => void): () => void;
  close(): void;
  resetStats(): Stats;
}

export interface ClientConstructor {
  new (options?: Options): Client;
  readonly prototype: Client;
}

export declare const Client: ClientConstructor;
export declare function connect(options?: Options): Client;
export declare const TRANSPORTS: readonly TransportName[];
export declare const DEFAULTS: Readonly<Required<Options>>;
export declare const VERSION: string;

export interface Rtkit {
  readonly VERSION: string;
  readonly TRANSPORTS: readonly TransportName[];
  readonly DEFAULTS: Readonly<Required<Options>>;
  readonly Client: ClientConstructor;
  connect(options?: Options): Client;
}

declare const rtkit: Rtkit;
export default rtkit;

/** The classic script's global. */
export as namespace rtkit;
