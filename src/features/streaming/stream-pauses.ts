import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../../common/changes/change-feed';

/**
 * Which stream sources are paused, for every replica (ADR 0026): a row per paused source, changed in
 * the transaction that publishes the change feed's `streams` kind, so each replica's streaming
 * service applies a pause or resume made on another within the feed's latency.
 */
@Injectable()
export class StreamPauses {
  constructor(
    private readonly ds: DataSource,
    private readonly changes: ChangeFeed,
  ) {}

  async paused(): Promise<Set<string>> {
    const rows: { source: string }[] = await this.ds.query(`SELECT source FROM tessera.stream_source_pauses`);
    return new Set(rows.map((r) => r.source));
  }

  async set(source: string, paused: boolean, by: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (paused) await m.query(`INSERT INTO tessera.stream_source_pauses (source, paused_by) VALUES ($1, $2) ON CONFLICT (source) DO NOTHING`, [source, by]);
      else await m.query(`DELETE FROM tessera.stream_source_pauses WHERE source = $1`, [source]);
      await this.changes.publish(m, 'streams', source);
    });
  }

  onChange(fn: () => void): void {
    this.changes.subscribe('streams', fn);
  }
}
