import { domainFromPath } from '../../../src/catalog/contracts/documents/normalize-product';
import { check, expectIssue, product, valueOf } from './contract-fixtures';

const port = (extra: Record<string, unknown>) => ({ name: 'p', version: '1.0.0', type: 'table', ...extra });
const cp = (property: string, value: unknown) => ({ property, value });

describe('ODPS data products', () => {
  it('normalizes a valid product', () => {
    const p = valueOf(product({ description: { purpose: 'why' }, tags: ['a'] }), 'DataProduct');
    expect(p).toMatchObject({
      id: 'rides-driver-stats',
      name: 'Driver stats',
      domain: 'rides',
      status: 'active',
      version: '1.0.0',
      type: null,
      description: { purpose: 'why', limitations: null, usage: null },
      tags: ['a'],
      team: null,
      inputPorts: [],
      support: [],
    });
    expect(p.outputPorts[0]).toEqual({
      name: 'hourly',
      version: '1.0.0',
      type: 'table',
      contractId: 'driver-hourly',
      containsPii: false,
      autoApprove: false,
      description: null,
    });
    expect(p.raw.kind).toBe('DataProduct');
  });

  it.each([
    ['apiVersion', { apiVersion: 'v2.0.0' }, 'must be one of v0.9.0, v1.0.0 (got "v2.0.0")'],
    ['id', { id: undefined }, 'required'],
    ['id', { id: 12 }, 'expected string, got integer'],
    ['status', { status: undefined }, 'required; must be one of proposed, draft, active, deprecated, retired'],
    ['status', { status: 'production' }, 'must be one of proposed, draft, active, deprecated, retired (got "production")'],
    ['name', { name: ['x'] }, 'expected string, got array'],
    ['tags[1]', { tags: ['a', 3] }, 'expected string, got integer'],
    ['inputPorts[0].contractId', { inputPorts: [{ name: 'i', version: '1' }] }, 'required'],
    ['outputPorts[0].version', { outputPorts: [{ name: 'o' }] }, 'required'],
    ['support[0].url', { support: [{ channel: 'slack' }] }, 'required'],
    ['team.members[0].username', { team: { members: [{ name: 'x' }] } }, 'required'],
    ['customProperties[0].value', { customProperties: [{ property: 'x' }] }, 'required'],
    ['productCreatedTs', { productCreatedTs: 'yesterday' }, 'ISO 8601 date-time'],
  ])('%s: %j → %s', (path, overrides, text) => {
    expectIssue(check([product(overrides)]).errors, path, text);
  });

  describe('dataProductType (top-level customProperties)', () => {
    it.each(['sourceAligned', 'aggregate', 'consumerAligned'])('reads %s', (t) => {
      expect(valueOf(product({ customProperties: [cp('other', 1), cp('dataProductType', t)] }), 'DataProduct').type).toBe(t);
    });

    it('refuses another value, naming the allowed ones', () => {
      const { errors } = check([product({ customProperties: [cp('dataProductType', 'raw')] })]);
      expectIssue(errors, 'customProperties[0].value', 'dataProductType must be one of sourceAligned, aggregate, consumerAligned (got "raw")');
    });
  });

  describe('output ports', () => {
    it('reads containsPii and autoApprove from the port customProperties', () => {
      const p = valueOf(
        product({ outputPorts: [port({ customProperties: [cp('containsPii', true), cp('autoApprove', true)] })] }),
        'DataProduct',
      );
      expect(p.outputPorts[0]).toMatchObject({ containsPii: true, autoApprove: true });
    });

    it.each(['containsPii', 'autoApprove'])('refuses a non-boolean %s', (name) => {
      const { errors } = check([product({ outputPorts: [port({ customProperties: [cp(name, 'true')] })] })]);
      expectIssue(errors, 'outputPorts[0].customProperties[0].value', 'expected boolean, got string');
    });

    it.each([
      ['tables', 'table'],
      ['table', 'table'],
      ['Tables', 'table'],
      ['featureView', 'featureView'],
      ['model', 'model'],
      ['api', 'api'],
      ['file', 'file'],
    ])('normalizes type %s → %s without warning', (type, expected) => {
      const result = check([product({ outputPorts: [port({ type })] })]);
      expect(result.issues).toEqual([]);
      const doc = result.documents[0];
      expect(doc.kind === 'DataProduct' && doc.value.outputPorts[0].type).toBe(expected);
    });

    it('keeps an unknown type with a warning', () => {
      const result = check([product({ outputPorts: [port({ type: 'stream' })] })]);
      expect(result.errors).toEqual([]);
      expectIssue(result.warnings, 'outputPorts[0].type', 'unknown output port type "stream" kept as-is', 'warning');
      const doc = result.documents[0];
      expect(doc.kind === 'DataProduct' && doc.value.outputPorts[0].type).toBe('stream');
    });

    it('refuses two ports with the same name and version', () => {
      const { errors } = check([product({ outputPorts: [port({}), port({ type: 'api' })] })]);
      expectIssue(errors, 'outputPorts[1].version', 'duplicate output port p version 1.0.0');
    });

    it('accepts the same name with another version (served side by side)', () => {
      expect(check([product({ outputPorts: [port({}), port({ version: '2.0.0' })] })]).errors).toEqual([]);
    });
  });

  describe('domain', () => {
    it('prefers the document domain', () => {
      expect(valueOf(product({ domain: 'payments' }), 'DataProduct', 'contracts/rides/p.odps.yaml').domain).toBe('payments');
    });

    it.each([
      ['contracts/rides/p.odps.yaml', 'rides'],
      ['/repo/contracts/rides/p.odps.yaml', 'rides'],
      ['rides/p.odps.yaml', 'rides'],
      ['p.odps.yaml', 'default'],
      ['/abs/other/p.odps.yaml', 'default'],
      ['contracts/p.odps.yaml', 'default'],
      ['contracts/Rides Team/p.odps.yaml', 'default'],
    ])('falls back to the folder of %s → %s', (file, domain) => {
      expect(valueOf(product({ domain: undefined }), 'DataProduct', file).domain).toBe(domain);
    });

    it('handles Windows separators', () => {
      expect(domainFromPath('contracts\\rides\\p.odps.yaml')).toBe('rides');
    });
  });

  it('reports all problems of one document at once', () => {
    const { errors } = check([
      product({
        apiVersion: 'v9',
        status: 'live',
        customProperties: [cp('dataProductType', 'x')],
        outputPorts: [port({ customProperties: [cp('containsPii', 'yes')] }), { name: 3 }],
      }),
    ]);
    expectIssue(errors, 'apiVersion', 'must be one of');
    expectIssue(errors, 'status', 'must be one of');
    expectIssue(errors, 'customProperties[0].value', 'dataProductType');
    expectIssue(errors, 'outputPorts[0].customProperties[0].value', 'expected boolean');
    expectIssue(errors, 'outputPorts[1].name', 'expected string, got integer');
    expectIssue(errors, 'outputPorts[1].version', 'required');
    expect(errors.every((e) => e.file === 'contracts/rides/doc.yaml' && e.docIndex === 0)).toBe(true);
  });

  it('cuts long offending values short in messages', () => {
    const { errors } = check([product({ status: 'x'.repeat(5000) })]);
    expectIssue(errors, 'status', 'must be one of');
    expect(errors[0].message.length).toBeLessThan(200);
  });

  it('keeps unknown fields in raw', () => {
    expect(valueOf(product({ xTessera: { a: 1 } }), 'DataProduct').raw.xTessera).toEqual({ a: 1 });
  });
});
