import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pointerToPath } from '../../../src/catalog/contracts/documents/ajv-errors';
import { OfficialSchemaValidator } from '../../../src/catalog/contracts/documents/official-schema-validator';
import type { RawDocument } from '../../../src/catalog/contracts/documents/raw-document';
import { STANDARDS_DIR, contract, expectIssue, product, tessera } from './contract-fixtures';

const describeIfStandards = fs.existsSync(STANDARDS_DIR) ? describe : describe.skip;

const raw = (body: Record<string, unknown>): RawDocument => ({
  file: 'c.yaml',
  docIndex: 3,
  kind: body.kind as RawDocument['kind'],
  body,
});

describe('OfficialSchemaValidator.fromDirectory', () => {
  it('returns null when the schema files are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-std-'));
    try {
      expect(OfficialSchemaValidator.fromDirectory(empty)).toBeNull();
      expect(OfficialSchemaValidator.fromDirectory(path.join(empty, 'nope'))).toBeNull();
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('pointerToPath', () => {
  it.each([
    ['', {}, ''],
    ['/schema/0/properties/1', { schema: [{ properties: [{}, {}] }] }, 'schema[0].properties[1]'],
    ['/team/0/name', { team: [{}] }, 'team[0].name'],
    ['/a~1b/0', { 'a/b': { 0: 1 } }, '["a/b"]["0"]'],
  ])('%s → %s', (pointer, body, expected) => {
    expect(pointerToPath(pointer, body)).toBe(expected);
  });
});

describeIfStandards('OfficialSchemaValidator', () => {
  const validator = OfficialSchemaValidator.fromDirectory(STANDARDS_DIR)!;
  const issuesOf = (body: Record<string, unknown>) => validator.validate(raw(body));

  it('accepts Tessera fixtures that only use standard fields', () => {
    expect(issuesOf(contract())).toEqual([]);
    expect(issuesOf(product())).toEqual([]);
  });

  it('ignores tessera/v1 kinds', () => {
    expect(validator.validate(raw(tessera('Entity', { name: 'x', whatever: 1 })))).toEqual([]);
  });

  it('converts instance paths and keeps file and docIndex', () => {
    const issues = issuesOf(contract({ schema: [{ name: 't', properties: [{ name: 'a' }, { name: 'b', required: 'yes' }] }] }));
    expect(issues).toEqual([
      {
        file: 'c.yaml',
        docIndex: 3,
        path: 'schema[0].properties[1].required',
        message: 'ODCS v3.1.0 schema: expected boolean, got string',
        severity: 'error',
      },
    ]);
  });

  it('points missing and unknown fields at the field itself', () => {
    const issues = issuesOf(product({ status: undefined, extension: 1 }));
    expectIssue(issues, 'status', 'ODPS v1.0.0 schema: required');
    expectIssue(issues, 'extension', 'unknown field');
  });

  it('reports an enum with its allowed values', () => {
    expectIssue(issuesOf(contract({ apiVersion: 'v9' })), 'apiVersion', 'must be one of v3.1.0, v3.0.2');
  });

  it('collapses the quality operator oneOf into one message', () => {
    const issues = issuesOf(contract({ schema: [{ name: 't', quality: [{ metric: 'rowCount' }] }] }));
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'schema[0].quality[0]',
        message: expect.stringContaining(
          'must have exactly one of mustBe, mustNotBe, mustBeGreaterThan, mustBeGreaterOrEqualTo, mustBeLessThan, mustBeLessOrEqualTo, mustBeBetween, mustNotBeBetween',
        ),
      }),
    ]);
  });

  it('says when several oneOf forms match', () => {
    const issues = issuesOf(contract({ schema: [{ name: 't', quality: [{ metric: 'rowCount', mustBeGreaterThan: 1, mustBeLessThan: 9 }] }] }));
    expect(issues).toEqual([expect.objectContaining({ path: 'schema[0].quality[0]', message: expect.stringContaining('matches several') })]);
  });

  it('collapses a team of the wrong type into "object or array"', () => {
    expect(issuesOf(contract({ team: 'rides' }))).toEqual([
      expect.objectContaining({ path: 'team', message: 'ODCS v3.1.0 schema: expected object or array, got string' }),
    ]);
  });

  it('reports the inner problem of the team form whose shape matched', () => {
    const issues = issuesOf(contract({ team: [{ name: 'x' }] }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([['team[0].username', 'ODCS v3.1.0 schema: required']]);
  });

  it('collapses anyOf type branches (SLA value)', () => {
    const issues = issuesOf(contract({ slaProperties: [{ property: 'latency', value: [1] }] }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['slaProperties[0].value', 'ODCS v3.1.0 schema: expected string or number or boolean or null, got array'],
    ]);
  });

  it('collapses nested oneOf/anyOf (relationship reference)', () => {
    const doc = contract({ schema: [{ name: 't', properties: [{ name: 'a', relationships: [{ to: 5 }] }] }] });
    expect(issuesOf(doc).map((i) => [i.path, i.message])).toEqual([
      ['schema[0].properties[0].relationships[0].to', 'ODCS v3.1.0 schema: expected string or array, got integer'],
    ]);
  });

  it('reports logicalTypeOptions rules from the if/then blocks', () => {
    const doc = contract({ schema: [{ name: 't', properties: [{ name: 'a', logicalType: 'string', logicalTypeOptions: { minLength: -1 } }] }] });
    expectIssue(issuesOf(doc), 'schema[0].properties[0].logicalTypeOptions.minLength', 'must be >= 0');
  });

  it('reports formats', () => {
    expectIssue(issuesOf(product({ productCreatedTs: 'yesterday' })), 'productCreatedTs', 'must be a valid date-time');
  });
});
