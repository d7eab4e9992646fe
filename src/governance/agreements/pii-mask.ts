import { createHash, createHmac } from 'node:crypto';

/**
 * Pseudonymizes personal values: HMAC-SHA256 with a server secret, as lowercase hex. Equal values give
 * equal tokens (joins and counts still work), the secret keeps tokens from being reversed by hashing
 * guesses. The same function is computed in SQL for bulk reads (point-in-time retrieval, datasets), so
 * a value masked online and offline yields the same token as long as its text form is the same
 * (always for strings, which is what personal data is; PostgreSQL and JavaScript may print some
 * floats differently).
 */
export class PiiMasker {
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
   * sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ text)).
   */
  sqlExpression(column: string): string {
    const block = Buffer.alloc(64);
    this.key.copy(block);
    const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte)).toString('hex');
    return `encode(sha256(decode('${pad(0x5c)}', 'hex') || sha256(decode('${pad(0x36)}', 'hex') || convert_to(${column}::text, 'UTF8'))), 'hex')`;
  }
}
