import { createHash } from 'node:crypto';

const MAX_IDENT = 63;

/** A PostgreSQL identifier from free text: lower snake case, length-capped with a stable hash suffix. */
export function toIdentifier(text: string): string {
  let id = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z_]/.test(id)) id = `t_${id}`;
  if (id.length <= MAX_IDENT) return id;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${id.slice(0, MAX_IDENT - 9)}_${hash}`;
}

/** Schema of a domain's offline tables (prefixed so a domain can never be named `tessera` or `pg_*`). */
export function domainSchema(domain: string): string {
  return toIdentifier(`dom_${domain}`);
}

/** Table of one product port major version: `<product>__<port>__v<major>`. */
export function portTable(productId: string, port: string, major: number): string {
  return toIdentifier(`${productId}__${port}__v${major}`);
}

/** Always-quoted identifier for SQL text (names come from contracts, so never trust them). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
