import { parseContractFiles } from '../../../src/catalog/contracts/documents/parse-documents';
import { expectIssue } from './contract-fixtures';

const parse = (content: string, limits = {}) => parseContractFiles([{ path: 'c/x.yaml', content }], limits);

describe('parseContractFiles', () => {
  it('splits multi-document YAML, skips empty documents and keeps positions', () => {
    const { docs, issues } = parse(
      '---\napiVersion: tessera/v1\nkind: Entity\nname: a\n---\n---\napiVersion: tessera/v1\nkind: Entity\nname: b\n---\n',
    );
    expect(issues).toEqual([]);
    expect(docs.map((d) => [d.docIndex, d.kind, d.body.name, d.file])).toEqual([
      [0, 'Entity', 'a', 'c/x.yaml'],
      [2, 'Entity', 'b', 'c/x.yaml'],
    ]);
  });

  it('reads JSON as YAML', () => {
    const { docs, issues } = parse('{"apiVersion": "v3.1.0", "kind": "DataContract", "id": "x"}');
    expect(issues).toEqual([]);
    expect(docs[0].kind).toBe('DataContract');
  });

  it('accepts every file of a batch and an empty file', () => {
    const result = parseContractFiles([
      { path: 'a.yaml', content: '' },
      { path: 'b.yaml', content: 'kind: DataProduct\n' },
    ]);
    expect(result.docs.map((d) => d.file)).toEqual(['b.yaml']);
  });

  it.each([
    ['kind: DataProduct', 'DataProduct'],
    ['kind: DataContract', 'DataContract'],
    ...['Domain', 'UseCase', 'Entity', 'FeatureView', 'FeatureService', 'Model'].map((k) => [`apiVersion: tessera/v1\nkind: ${k}`, k]),
  ])('detects %j as %s', (content, kind) => {
    expect(parse(content).docs[0].kind).toBe(kind);
  });

  it('reports a syntax error with line and column and path ""', () => {
    const { docs, issues } = parse('kind: DataProduct\nid: [1, 2\nname: x\n');
    expect(docs).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'c/x.yaml', path: '', severity: 'error', docIndex: 0 });
    expect(issues[0].message).toMatch(/YAML syntax error at line \d+, col \d+: /);
  });

  it('refuses duplicate keys (they would silently drop data)', () => {
    expectIssue(parse('kind: DataProduct\nid: a\nid: b\n').issues, '', 'Map keys must be unique');
  });

  it('refuses an alias bomb cleanly', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
      'kind: DataProduct',
    ].join('\n');
    const { docs, issues } = parse(bomb);
    expect(docs).toEqual([]);
    expectIssue(issues, '', 'resource exhaustion');
  });

  it('still resolves a few legitimate aliases', () => {
    const { docs, issues } = parse('apiVersion: tessera/v1\nkind: Entity\nname: &n driver\ndescription: *n\n');
    expect(issues).toEqual([]);
    expect(docs[0].body.description).toBe('driver');
  });

  it('refuses files above the size limit', () => {
    const { docs, issues } = parse(`kind: DataProduct\ndescription: ${'x'.repeat(2000)}\n`, { maxFileBytes: 1000 });
    expect(docs).toEqual([]);
    expectIssue(issues, '', 'larger than the limit of 1000 bytes');
  });

  it('has a 2 MiB default size limit', () => {
    const big = `kind: DataProduct\ndescription: ${'x'.repeat(2 * 1024 * 1024)}\n`;
    expectIssue(parse(big).issues, '', 'larger than the limit of 2097152 bytes');
  });

  it('refuses files with too many documents', () => {
    const many = Array.from({ length: 201 }, (_, i) => `apiVersion: tessera/v1\nkind: Entity\nname: e${i}`).join('\n---\n');
    const { docs, issues } = parse(many);
    expect(docs).toEqual([]);
    expectIssue(issues, '', 'more than the limit of 200');
  });

  it.each([
    ['- a\n- b\n', 'got array'],
    ['just a string\n', 'got string'],
    ['42\n', 'got integer'],
  ])('refuses a top-level non-object %j', (content, text) => {
    const { docs, issues } = parse(content);
    expect(docs).toEqual([]);
    expectIssue(issues, '', `document must be a mapping (object), ${text}`);
  });

  it('names the kind path and allowed values for an unknown kind', () => {
    const { issues } = parse('kind: Dataset\n');
    expectIssue(issues, 'kind', 'unknown kind "Dataset"');
    expectIssue(issues, 'kind', 'DataProduct (ODPS), DataContract (ODCS), or apiVersion tessera/v1 with kind Domain, UseCase');
  });

  it('reports a missing kind', () => {
    expectIssue(parse('id: x\n').issues, 'kind', 'kind is required');
  });

  it('reports an unknown tessera/v1 kind on the kind path', () => {
    const { issues } = parse('apiVersion: tessera/v1\nkind: Pipeline\n');
    expectIssue(issues, 'kind', 'unknown kind "Pipeline"; with apiVersion tessera/v1 it must be one of Domain, UseCase, Entity');
  });

  it('reports a tessera kind without tessera/v1 on the apiVersion path', () => {
    expectIssue(parse('apiVersion: v2\nkind: Entity\n').issues, 'apiVersion', 'kind Entity requires apiVersion tessera/v1');
    expectIssue(parse('kind: Model\n').issues, 'apiVersion', 'apiVersion is required');
  });

  it('reports each bad document of a file and keeps the good ones', () => {
    const { docs, issues } = parse('kind: Nope\n---\napiVersion: tessera/v1\nkind: Entity\nname: a\n---\n[1]\n');
    expect(docs.map((d) => d.docIndex)).toEqual([1]);
    expect(issues.map((i) => i.docIndex)).toEqual([0, 2]);
  });
});
