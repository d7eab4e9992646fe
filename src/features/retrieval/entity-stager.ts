import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { FeatureValueType } from '../registry/resolved-feature-view';
import type { EntityBatchSource, UploadKind } from './entity-batch-source';
import { copyText as keyText, describe, invalid, Issue, MAX_ISSUES, normalizeKey, SQL_TYPES, StagedSpine, summary } from './pit-entity-frame';
import { EVENT_TIMESTAMP } from './pit-request';
import { pgTimestampText, toInstant } from './pit-timestamp';

/** Column type of a staged extra column. */
export const UPLOAD_SQL_TYPES: Record<UploadKind, string> = { int: 'bigint', float: 'double precision', bool: 'boolean', string: 'text', json: 'json' };

/**
 * Counters of the upload path, for tests (test/e2e/pit-arrow-entities.spec.ts): rows decoded from the
 * body but not yet handed to COPY (`heldRows`, and its high-water mark) and rows handed to COPY so
 * far. They show that the server holds one batch at a time and COPYs while the body still arrives.
 */
export const entityUploadProbe = { heldRows: 0, maxHeldRows: 0, copiedRows: 0 };

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escape(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);
}

/** COPY text of an extra value as its kind stores it (json: the value as JSON text, as the JSON spine's would be). */
function extraText(kind: UploadKind, v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  return escape(kind === 'bool' ? (v ? 't' : 'f') : kind === 'json' ? JSON.stringify(v) : String(v));
}

async function write(copy: NodeJS.WritableStream, text: string): Promise<void> {
  if (!copy.write(text)) await once(copy as unknown as NodeJS.EventEmitter, 'drain');
}

/**
 * Inside the client's open transaction: COPYs the uploaded entity rows into a temp table `(_row,
 * k0..kn, _ts, x0..xm)` (ON COMMIT DROP) one batch at a time, as the body arrives: each batch is
 * decoded, checked as the JSON spine's entity frame checks rows (join keys of their type, a valid
 * event_timestamp, no NUL in strings; every problem named with its column and row, up to 20), written
 * to COPY and dropped before the next is read. The row cap is checked before a batch is decoded. On
 * any error the COPY is failed and the error thrown: the caller rolls the transaction back, so nothing
 * of the upload is left. `_row` numbers the rows in upload order, so duplicate rows stay distinct.
 */
export async function stageEntities(client: ClientBase, source: EntityBatchSource, keyTypes: Map<string, FeatureValueType>, maxRows: number): Promise<StagedSpine> {
  const names = source.columns.map((c) => c.name);
  const issues: Issue[] = [];
  for (const [k, type] of keyTypes) {
    if (!names.includes(k)) issues.push({ field: `entities.${k}`, reason: 'join key column is missing' });
    else if (!SQL_TYPES[type]) issues.push({ field: `entities.${k}`, reason: `join keys of logical type ${type} are not supported` });
  }
  if (!names.includes(EVENT_TIMESTAMP)) issues.push({ field: `entities.${EVENT_TIMESTAMP}`, reason: 'column is missing' });
  if (issues.length) throw invalid(`invalid entities: ${summary(issues)}`, issues);

  const keys = [...keyTypes].map(([name, type]) => ({ name, type, at: names.indexOf(name) }));
  const tsAt = names.indexOf(EVENT_TIMESTAMP);
  const extras = source.columns.map((c, at) => ({ ...c, at })).filter((c) => c.name !== EVENT_TIMESTAMP && !keyTypes.has(c.name));
  const table = `pit_${randomBytes(8).toString('hex')}`;
  const defs = ['_row bigint NOT NULL', ...keys.map((k, i) => `k${i} ${SQL_TYPES[k.type]}`), '_ts timestamptz NOT NULL', ...extras.map((x, i) => `x${i} ${UPLOAD_SQL_TYPES[x.kind]}`)];
  await client.query(`CREATE TEMP TABLE ${table} (${defs.join(', ')}) ON COMMIT DROP`);
  const copy = client.query(copyFrom(`COPY ${table} FROM STDIN`));
  let rows = 0;
  let held = 0;
  try {
    for await (const batch of source.batches) {
      if (rows + batch.rows > maxRows) {
        throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `the entity upload has more than ${maxRows} rows (TESSERA_ENTITY_MAX_ROWS)`, { field: 'entities', reason: `at most ${maxRows} rows` });
      }
      const values = batch.values();
      held = batch.rows;
      entityUploadProbe.heldRows += held;
      entityUploadProbe.maxHeldRows = Math.max(entityUploadProbe.maxHeldRows, entityUploadProbe.heldRows);
      let buf = '';
      for (let i = 0; i < batch.rows && issues.length < MAX_ISSUES; i++) {
        const row = rows + i;
        let line = String(row);
        for (const k of keys) {
          const v = normalizeKey(k.type, values[k.at][i]);
          if (typeof v === 'string') issues.push({ field: `entities.${k.name}[${row}]`, reason: `row ${row}: ${v}` });
          else line += `\t${v.value === null ? '\\N' : escape(keyText(v.value)!)}`;
        }
        const t = values[tsAt][i];
        const at = toInstant(t);
        if (at === null) issues.push({ field: `entities.${EVENT_TIMESTAMP}[${row}]`, reason: `row ${row}: ${describe(t)} is not an ISO-8601 timestamp with a zone, epoch milliseconds or a Date` });
        else line += `\t${pgTimestampText(at.ms, at.us)}`;
        for (const x of extras) {
          const v = values[x.at][i];
          if (x.kind === 'string' && typeof v === 'string' && v.includes('\u0000')) issues.push({ field: `entities.${x.name}[${row}]`, reason: `row ${row}: strings cannot contain NUL characters` });
          line += `\t${extraText(x.kind, v)}`;
        }
        buf += `${line}\n`;
        if (buf.length >= 1 << 20) {
          if (issues.length === 0) await write(copy, buf);
          buf = '';
        }
      }
      if (issues.length) throw invalid(`invalid entity rows: ${summary(issues)}`, issues);
      if (buf) await write(copy, buf);
      rows += batch.rows;
      entityUploadProbe.heldRows -= held;
      entityUploadProbe.copiedRows += held;
      held = 0;
    }
    if (rows === 0) throw invalid('entities must have at least one row', [{ field: 'entities', reason: 'no rows' }]);
    copy.end();
    await finished(copy);
  } catch (e) {
    entityUploadProbe.heldRows -= held;
    copy.on('error', () => undefined); // the COPY fails with our CopyFail: expected, the transaction rolls back
    if (!copy.destroyed) copy.destroy();
    throw asUploadError(e);
  }
  await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (_row)`);
  return {
    schema: null,
    table,
    rowCount: rows,
    columns: source.columns.map((c) => (c.name === EVENT_TIMESTAMP ? { name: c.name, role: 'timestamp' } : keyTypes.has(c.name) ? { name: c.name, role: 'key' } : { name: c.name, role: 'extra', kind: c.kind })),
    keys: keys.map((k) => ({ name: k.name, type: k.type })),
  };
}

/** A value PostgreSQL refuses while COPYing (a data exception, class 22: e.g. an unsigned 64-bit value past bigint) is the upload's fault. */
function asUploadError(e: unknown): unknown {
  const pg = e as { code?: unknown; message?: string; where?: string };
  if (typeof pg.code === 'string' && pg.code.startsWith('22')) return invalid(`entity rows refused by PostgreSQL: ${pg.message ?? ''}`, [{ field: 'entities', reason: pg.message ?? 'invalid value' }]);
  return e;
}
