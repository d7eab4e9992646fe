/** Timing of a replica's change feed; the app passes them from its configuration (common reads no config of its own). */
export interface ChangeFeedOptions {
  /** First reconnect delay of the LISTEN connection (doubles up to 5 s). */
  changeReconnectMs: number;
  /** Period of the safety-net version check; 0 turns it off. */
  changeCheckMs: number;
}

export const CHANGE_FEED_OPTIONS = Symbol('CHANGE_FEED_OPTIONS');
