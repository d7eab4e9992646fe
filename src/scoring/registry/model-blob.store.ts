import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TesseraConfig } from '../../config/tessera-config';
import { ScoringError, ScoringErrorCode } from '../scoring-error';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * ONNX bytes, content-addressed by sha256: in `tessera.model_blobs.bytes`, or as files under
 * TESSERA_MODEL_DIR with only the address row in PostgreSQL (so versions keep a foreign key either
 * way). Identical bytes are stored once, whatever the number of versions pointing at them.
 */
@Injectable()
export class ModelBlobStore {
  private readonly dir: string | undefined;

  constructor(
    private readonly dataSource: DataSource,
    config: TesseraConfig,
  ) {
    this.dir = config.modelDir ? resolve(config.modelDir) : undefined;
  }

  /** Stores the bytes within the caller's transaction; a no-op when the address is known. */
  async put(m: EntityManager, sha256: string, bytes: Uint8Array): Promise<void> {
    const [existing] = await m.query<{ storage: string }[]>(`SELECT storage FROM tessera.model_blobs WHERE sha256 = $1`, [sha256]);
    if (existing?.storage === 'directory' && this.dir) await this.writeFile(sha256, bytes); // heals a lost file
    if (existing) return;
    if (this.dir) {
      // The file goes first: a rolled-back transaction leaves an unreferenced file, never a dangling row.
      await this.writeFile(sha256, bytes);
      await m.query(`INSERT INTO tessera.model_blobs (sha256, size, storage) VALUES ($1, $2, 'directory') ON CONFLICT (sha256) DO NOTHING`, [sha256, bytes.byteLength]);
    } else {
      await m.query(`INSERT INTO tessera.model_blobs (sha256, size, storage, bytes) VALUES ($1, $2, 'postgres', $3) ON CONFLICT (sha256) DO NOTHING`, [
        sha256,
        bytes.byteLength,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ]);
    }
  }

  /** The bytes at an address, verified against it (a file under the model dir can be tampered with). */
  async get(sha256: string, m: EntityManager = this.dataSource.manager): Promise<Buffer> {
    const [row] = await m.query<{ storage: string; bytes: Buffer | null }[]>(`SELECT storage, bytes FROM tessera.model_blobs WHERE sha256 = $1`, [sha256]);
    if (!row) throw new ScoringError(ScoringErrorCode.MODEL_BLOB_UNAVAILABLE, `model bytes ${sha256} are not stored`);
    let bytes: Buffer;
    if (row.storage === 'postgres') {
      bytes = row.bytes as Buffer;
    } else {
      if (!this.dir) throw new ScoringError(ScoringErrorCode.MODEL_BLOB_UNAVAILABLE, `model bytes ${sha256} live in a model directory, but TESSERA_MODEL_DIR is not set`);
      bytes = await readFile(this.path(sha256)).catch(() => {
        throw new ScoringError(ScoringErrorCode.MODEL_BLOB_UNAVAILABLE, `model bytes ${sha256} are missing from the model directory`);
      });
    }
    if (sha256Hex(bytes) !== sha256) throw new ScoringError(ScoringErrorCode.MODEL_BLOB_UNAVAILABLE, `model bytes ${sha256} do not match their sha256`);
    return bytes;
  }

  /** `<dir>/sha256/ab/abcdef….onnx`: two-level fan-out keeps directories small. */
  path(sha256: string): string {
    return join(this.dir ?? '', 'sha256', sha256.slice(0, 2), `${sha256}.onnx`);
  }

  private async writeFile(sha256: string, bytes: Uint8Array): Promise<void> {
    const target = this.path(sha256);
    const present = await stat(target).then(
      (s) => s.size === bytes.byteLength,
      () => false,
    );
    if (present) return;
    await mkdir(join(this.dir!, 'sha256', sha256.slice(0, 2)), { recursive: true });
    // Write then rename: readers never see a half-written file under its final name.
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  }
}
