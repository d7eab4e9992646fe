/**
 * Every Redis key Tessera's online store uses is built here (see docs/adr/0005-online-key-layout.md).
 *
 *   <prefix>o:{<entity key>}:<view>   ->  "<eventMs>|<createdMs or empty>|<layout id>|<JSON vector>"
 *
 * One string per (entity, view) holding the packed feature vector, so a request for any number of
 * views is a single MGET. The entity key is the Redis Cluster hash tag: every view of an entity lives
 * in the same slot. The prefix (TESSERA_REDIS_PREFIX) is validated to hold no `{`, `}` or glob
 * characters, so the first `{` is always the tag's and `<prefix>*` matches exactly this instance's keys.
 */
export class OnlineRedisKeys {
  constructor(readonly prefix: string) {
    if (/[{}*?[\]\\]/.test(prefix)) throw new Error(`Redis prefix ${prefix} must not contain braces or glob characters`);
  }

  feature(entityKey: string, view: string): string {
    return `${this.prefix}o:{${entityKey}}:${view}`;
  }

  /** SCAN pattern of every key this prefix owns. */
  allPattern(): string {
    return `${this.prefix}*`;
  }
}
