import Ajv2019, { ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainAjvErrors } from './ajv-errors';
import { ApplyIssue } from './apply-issue';
import { RawDocument } from './raw-document';

export const ODCS_SCHEMA_FILE = 'odcs-json-schema-v3.1.0.json';
export const ODPS_SCHEMA_FILE = 'odps-json-schema-v1.0.0.json';

/**
 * Validates ODPS/ODCS documents against the official Bitol JSON Schemas, read at runtime from a
 * configurable directory (the schemas are Apache-2.0 files we do not vendor). This is stricter
 * than Tessera's own zod rules: unknown fields, formats and every if/then of the standards.
 */
export class OfficialSchemaValidator {
  private constructor(
    private readonly odcs: ValidateFunction,
    private readonly odps: ValidateFunction,
  ) {}

  /** null when the directory does not hold both schema files (official validation is then off). */
  static fromDirectory(dir: string): OfficialSchemaValidator | null {
    const odcsFile = join(dir, ODCS_SCHEMA_FILE);
    const odpsFile = join(dir, ODPS_SCHEMA_FILE);
    if (!existsSync(odcsFile) || !existsSync(odpsFile)) return null;
    // strict: false because the official schemas use keywords ajv's strict mode flags (e.g. `examples` placement).
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const odcs = ajv.compile(JSON.parse(readFileSync(odcsFile, 'utf8')) as object);
    const odps = ajv.compile(JSON.parse(readFileSync(odpsFile, 'utf8')) as object);
    return new OfficialSchemaValidator(odcs, odps);
  }

  /** Issues for one document; Tessera's own kinds have no official schema and yield none. */
  validate(doc: RawDocument): ApplyIssue[] {
    const target =
      doc.kind === 'DataContract'
        ? { fn: this.odcs, label: 'ODCS v3.1.0 schema' }
        : doc.kind === 'DataProduct'
          ? { fn: this.odps, label: 'ODPS v1.0.0 schema' }
          : null;
    if (!target || target.fn(doc.body)) return [];
    return explainAjvErrors(target.fn.errors ?? [], doc.body).map(({ path, message }) => ({
      file: doc.file,
      docIndex: doc.docIndex,
      path,
      message: `${target.label}: ${message}`,
      severity: 'error' as const,
    }));
  }
}
