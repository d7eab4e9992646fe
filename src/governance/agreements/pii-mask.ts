import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import type { SqlMask } from '../../features/registry/resolved-feature-view';
import { from as copyFrom } from 'pg-copy-streams';

const PAD_TABLE = 'tessera_pii_pads';

/**
 * Pseudonymizes personal values: HMAC-SHA256 with a server secret, as lowercase hex. Equal values give
 * equal tokens (joins and counts still work), the secret keeps tokens from being reversed by hashing
 * guesses. The same function is computed in SQL for bulk reads (point-in-time retrieval, datasets), so
 * a value masked online and offline yields the same token as long as its text form is the same
 * (always for strings, which is what personal data is; PostgreSQL and JavaScript may print some
 * floats differently).
 */
export class PiiMasker implements SqlMask {
  private readonly key: Buffer;

  constructor(secret: string) {
    // HMAC keys longer than the block are hashed first (RFC 2104); doing it here keeps the SQL form simple.
    const raw = Buffer.from(secret, 'utf8');
    this.key = raw.length > 64 ? createHash('sha256').update(raw).digest() : raw;
  }

  /** The token of one value; null stays null. */
  mask(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return createHmac('sha256', this.key).update(text, 'utf8').digest('hex');
  }

  /**
   * The same HMAC as an SQL expression over `column` (built-in sha256, no extension needed):
   * sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ text)). The pads are key material, so they are not in the
   * text (which pg_stat_activity and statement logs show) but in a temp table `prepare` fills.
   */
  expression(column: string): string {
    const pad = (name: 'ipad' | 'opad') => `(SELECT ${name} FROM pg_temp.${PAD_TABLE})`;
    return `encode(sha256(${pad('opad')} || sha256(${pad('ipad')} || convert_to(${column}::text, 'UTF8'))), 'hex')`;
  }

  /**
   * Puts the pads into a temp table of the open transaction (dropped at its end) through COPY FROM
   * STDIN: COPY data is neither in the statement text nor logged by log_statement, unlike bind
   * parameters, which `log_statement = all` prints in full. Idempotent within a transaction.
   */
  async prepare(client: PoolClient): Promise<void> {
    const exists = await client.query(`SELECT to_regclass('pg_temp.${PAD_TABLE}') IS NOT NULL AS present`);
    if ((exists.rows[0] as { present: boolean }).present) return;
    await client.query(`CREATE TEMP TABLE ${PAD_TABLE} (ipad bytea NOT NULL, opad bytea NOT NULL) ON COMMIT DROP`);
    const block = Buffer.alloc(64);
    this.key.copy(block);
    // COPY text format: a backslash is an escape, so bytea's \x hex prefix is written doubled.
    const pad = (byte: number) => `\\\\x${Buffer.from(block.map((b) => b ^ byte)).toString('hex')}`;
    await pipeline(Readable.from([`${pad(0x36)}\t${pad(0x5c)}\n`]), client.query(copyFrom(`COPY ${PAD_TABLE} (ipad, opad) FROM STDIN`)));
  }
}
