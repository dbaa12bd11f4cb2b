/**
 * Short-lived keys that replicas must share, each in a namespace and with its own expiry: Slack
 * event ids already answered, threads the bot follows up in, Discord interaction ids already run,
 * and button state too long for a custom_id. Expired keys read as absent and are swept lazily.
 */
export interface KeyStore {
  /**
   * Records the key until `ttlMs` from now unless it is already there (and unexpired). True when
   * this call recorded it: of several processes offering one key, exactly one gets true.
   */
  claim(namespace: string, key: string, ttlMs: number): Promise<boolean>;
  /** Sets the key (with an optional value) until `ttlMs` from now, replacing what was there. */
  put(namespace: string, key: string, ttlMs: number, value?: string): Promise<void>;
  /** The key's value ("" when it has none), or undefined when absent or expired. */
  get(namespace: string, key: string): Promise<string | undefined>;
}
