import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 256 random bits, so a single fast sha256 is a sufficient digest: bcrypt/argon2 slow
 * down guessing of low-entropy passwords, which a 2^256 search space does not need, and they would
 * cost milliseconds on every request of the serving hot path. The prefix is shown in listings so
 * people can tell keys apart; it reveals 36 of the 256 random bits, which leaves 220 unknown.
 */
export const API_KEY_PREFIX = 'tsk_';

export function generateApiKey(): { key: string; prefix: string; sha256: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 6), sha256: sha256Hex(key) };
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** A compact JWS (header.payload.signature, base64url) rather than an API key. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) && token.startsWith('eyJ');
}
