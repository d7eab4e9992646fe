import { check, contract, expectIssue, normalizedContract } from './contract-fixtures';

/** A contract whose single property has the given extra fields. */
const withProperty = (prop: Record<string, unknown>) =>
  contract({ schema: [{ name: 'tbl', properties: [{ name: 'col', ...prop }] }] });
const errorsOf = (doc: Record<string, unknown>) => check([doc]).errors;

describe('ODCS data contracts', () => {
  it('normalizes a valid contract with defaults', () => {
    const c = normalizedContract();
    expect(c).toMatchObject({
      id: 'driver-hourly',
      version: '1.0.0',
      apiVersion: 'v3.1.0',
      status: 'active',
      name: null,
      domain: null,
      dataProduct: null,
      tags: [],
      quality: [],
      slaProperties: [],
      team: null,
      roles: [],
      support: [],
    });
    expect(c.schema[0].properties[2]).toEqual({
      name: 'conv_rate',
      physicalName: null,
      logicalType: 'number',
      physicalType: null,
      required: false,
      unique: false,
      primaryKey: false,
      primaryKeyPosition: null,
      partitioned: false,
      classification: null,
      description: null,
      businessName: null,
      tags: [],
      logicalTypeOptions: null,
      quality: [],
      examples: [],
      properties: [],
      items: null,
    });
  });

  it.each([
    ['version', { version: undefined }, 'required'],
    ['version', { version: 1.1 }, 'expected string, got number (quote the value in YAML'],
    ['apiVersion', { apiVersion: 'v4.0.0' }, 'must be one of v3.1.0, v3.0.2, v3.0.1, v3.0.0, v2.2.2, v2.2.1, v2.2.0'],
    ['id', { id: undefined }, 'required'],
    ['status', { status: undefined }, 'required'],
    ['schema[0].name', { schema: [{ properties: [] }] }, 'required'],
    ['schema[0].logicalType', { schema: [{ name: 't', logicalType: 'array' }] }, 'must be object'],
    ['schema[1].name', { schema: [{ name: 't' }, { name: 't' }] }, 'duplicate schema object name "t" (first at index 0)'],
    ['slaProperties[0].value', { slaProperties: [{ property: 'latency' }] }, 'required'],
    ['slaProperties[0].value', { slaProperties: [{ property: 'latency', value: [1] }] }, 'expected string or number or boolean or null, got array'],
    ['roles[0].role', { roles: [{ access: 'read' }] }, 'required'],
    ['support[0].channel', { support: [{ url: 'https://x' }] }, 'required'],
    ['contractCreatedTs', { contractCreatedTs: '2022-11-15' }, 'ISO 8601 date-time'],
  ])('%s: %j → %s', (path, overrides, text) => {
    expectIssue(errorsOf(contract(overrides)), path, text);
  });

  it('accepts any status string (ODCS examples use "development", "in development")', () => {
    expect(errorsOf(contract({ status: 'in development' }))).toEqual([]);
  });

  describe('properties', () => {
    it.each([
      ['schema[0].properties[0].name', { name: undefined }, 'required'],
      ['schema[0].properties[0].logicalType', { logicalType: 'text' }, 'must be one of string, date, timestamp, time, number, integer, object, array, boolean (got "text")'],
      ['schema[0].properties[0].required', { required: 'yes' }, 'expected boolean, got string'],
      ['schema[0].properties[0].unique', { unique: 1 }, 'expected boolean, got integer'],
      ['schema[0].properties[0].primaryKey', { primaryKey: 'true' }, 'expected boolean, got string'],
      ['schema[0].properties[0].primaryKeyPosition', { primaryKeyPosition: 1.5 }, 'expected integer'],
      ['schema[0].properties[0].logicalTypeOptions', { logicalTypeOptions: 'max 3' }, 'expected object, got string'],
      ['schema[0].properties[0].logicalTypeOptions.minLength', { logicalType: 'string', logicalTypeOptions: { minLength: -1 } }, 'expected integer >= 0, got -1'],
      ['schema[0].properties[0].logicalTypeOptions.maximum', { logicalType: 'string', logicalTypeOptions: { maximum: 3 } }, 'unknown option for logicalType string; allowed: minLength, maxLength, pattern, format'],
      ['schema[0].properties[0].logicalTypeOptions.format', { logicalType: 'integer', logicalTypeOptions: { format: 'i33' } }, 'must be one of i8, i16'],
      ['schema[0].properties[0].logicalTypeOptions.format', { logicalType: 'number', logicalTypeOptions: { format: 'i32' } }, 'must be one of f32, f64'],
      ['schema[0].properties[0].logicalTypeOptions.timezone', { logicalType: 'timestamp', logicalTypeOptions: { timezone: 'UTC' } }, 'expected boolean, got string'],
      ['schema[0].properties[0].logicalTypeOptions.required', { logicalType: 'object', logicalTypeOptions: { required: [] } }, 'non-empty array of distinct strings'],
      ['schema[0].properties[0].items.logicalType', { logicalType: 'array', items: { logicalType: 'list' } }, 'must be one of'],
      ['schema[0].properties[0].properties[1].name', { logicalType: 'object', properties: [{ name: 'a' }, { name: 'a' }] }, 'duplicate property name "a"'],
    ])('%s: %j → %s', (path, prop, text) => {
      expectIssue(errorsOf(withProperty(prop)), path, text);
    });

    it('refuses duplicate property names in one object', () => {
      const doc = contract({ schema: [{ name: 't', properties: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] }] });
      expectIssue(errorsOf(doc), 'schema[0].properties[2].name', 'duplicate property name "a" (first at index 0)');
    });

    it('refuses logicalTypeOptions without logicalType, as the official if/then blocks do', () => {
      expectIssue(errorsOf(withProperty({ logicalTypeOptions: { maxLength: 3 } })), 'schema[0].properties[0].logicalTypeOptions.maxLength', 'need a logicalType');
      expect(errorsOf(withProperty({ logicalTypeOptions: {} }))).toEqual([]);
    });

    it('accepts any logicalTypeOptions for boolean (ODCS has no rule for it)', () => {
      expect(errorsOf(withProperty({ logicalType: 'boolean', logicalTypeOptions: { anything: 1 } }))).toEqual([]);
    });

    it('normalizes nested properties and array items recursively', () => {
      const c = normalizedContract({
        schema: [
          {
            name: 't',
            properties: [
              { name: 'addr', logicalType: 'object', properties: [{ name: 'zip', logicalType: 'string', required: true }] },
              { name: 'lines', logicalType: 'array', items: { logicalType: 'string', logicalTypeOptions: { maxLength: 40 } } },
            ],
          },
        ],
      });
      const [addr, lines] = c.schema[0].properties;
      expect(addr.properties[0]).toMatchObject({ name: 'zip', logicalType: 'string', required: true });
      expect(lines.items).toMatchObject({ name: '', logicalType: 'string', logicalTypeOptions: { maxLength: 40 } });
    });
  });

  describe('quality rules', () => {
    const withQuality = (rule: Record<string, unknown>) => withProperty({ quality: [rule] });
    const at = 'schema[0].properties[0].quality[0]';

    it.each([
      [`${at}.metric`, { type: 'library', mustBe: 0 }, 'required for a library quality rule'],
      [`${at}.metric`, { metric: 'nulls', mustBe: 0 }, 'must be one of nullValues, missingValues, invalidValues, duplicateValues, rowCount'],
      [at, { metric: 'nullValues' }, 'must have exactly one operator of mustBe'],
      [at, { metric: 'rowCount', mustBeGreaterThan: 1, mustBeLessThan: 5 }, 'found mustBeGreaterThan, mustBeLessThan'],
      [`${at}.mustBeGreaterThan`, { metric: 'rowCount', mustBeGreaterThan: '1' }, 'expected number, got string'],
      [`${at}.mustBeBetween`, { metric: 'rowCount', mustBeBetween: [1] }, 'two different numbers'],
      [`${at}.query`, { type: 'sql', mustBe: 0 }, 'required for a sql quality rule'],
      [`${at}.engine`, { type: 'custom', implementation: 'x' }, 'required for a custom quality rule'],
      [`${at}.implementation`, { type: 'custom', engine: 'soda', implementation: 3 }, 'expected string or object, got integer'],
      [`${at}.type`, { type: 'regex' }, 'must be one of text, library, sql, custom'],
      [`${at}.dimension`, { dimension: 'freshness' }, 'must be one of accuracy, completeness'],
    ])('%s: %j → %s', (path, rule, text) => {
      expectIssue(errorsOf(withQuality(rule)), path, text);
    });

    it('accepts a plain text rule', () => {
      expect(errorsOf(withQuality({ type: 'text', description: 'values look sane' }))).toEqual([]);
    });

    it('flattens rules with the path and element where they were declared', () => {
      const c = normalizedContract({
        schema: [
          {
            name: 't',
            quality: [{ metric: 'rowCount', mustBeGreaterThan: 10 }],
            properties: [{ name: 'a', quality: [{ type: 'sql', query: 'select 1', mustBe: 1 }] }],
          },
        ],
      });
      expect(c.quality.map((q) => [q.path, q.element, q.type, q.operator, q.threshold])).toEqual([
        ['schema[0]', 't', 'library', 'mustBeGreaterThan', 10],
        ['schema[0].properties[0]', 't.a', 'sql', 'mustBe', 1],
      ]);
      expect(c.schema[0].properties[0].quality[0].query).toBe('select 1');
    });
  });

  describe('team', () => {
    it('normalizes the v3.1 object form', () => {
      const c = normalizedContract({ team: { name: 'rides', members: [{ username: 'ann', role: 'owner' }] } });
      expect(c.team).toEqual({ name: 'rides', description: null, members: [{ username: 'ann', name: null, role: 'owner' }] });
    });

    it('normalizes the deprecated array form', () => {
      const c = normalizedContract({ team: [{ username: 'bob', name: 'Bob' }] });
      expect(c.team).toEqual({ name: null, description: null, members: [{ username: 'bob', name: 'Bob', role: null }] });
    });

    it('reports the problem inside the form that matches the shape', () => {
      expectIssue(errorsOf(contract({ team: [{ name: 'x' }] })), 'team[0].username', 'required');
      expectIssue(errorsOf(contract({ team: { members: [{ username: 3 }] } })), 'team.members[0].username', 'expected string, got integer');
    });

    it('names both accepted shapes for a wrong type', () => {
      expectIssue(errorsOf(contract({ team: 'rides' })), 'team', 'expected object or array, got string');
    });
  });

  it('reports all problems of one contract at once', () => {
    const errors = errorsOf(
      contract({
        apiVersion: 'v5',
        schema: [{ name: 't', properties: [{ name: 'a', logicalType: 'str', required: 'no', quality: [{ metric: 'x', mustBe: 1 }] }] }],
        slaProperties: [{ value: 1 }],
      }),
    );
    expectIssue(errors, 'apiVersion', 'must be one of');
    expectIssue(errors, 'schema[0].properties[0].logicalType', 'must be one of');
    expectIssue(errors, 'schema[0].properties[0].required', 'expected boolean');
    expectIssue(errors, 'schema[0].properties[0].quality[0].metric', 'must be one of');
    expectIssue(errors, 'slaProperties[0].property', 'required');
    expect(errors.length).toBeGreaterThanOrEqual(5);
  });

  it('warns when the version is not a semantic version', () => {
    const result = check([contract({ version: 'latest' })]);
    expect(result.errors).toEqual([]);
    expectIssue(result.warnings, 'version', 'not a semantic version', 'warning');
  });

  it('keeps unknown fields in raw', () => {
    expect(normalizedContract({ xCustom: 1 }).raw.xCustom).toBe(1);
  });
});
