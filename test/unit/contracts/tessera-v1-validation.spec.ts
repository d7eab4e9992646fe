import { parseDurationSeconds } from '../../../src/catalog/contracts/documents/duration';
import { check, contract, expectIssue, featureView, product, tessera, valueOf } from './contract-fixtures';

const errorsOf = (doc: Record<string, unknown>) => check([doc]).errors;
const entity = (o: Record<string, unknown> = {}) => tessera('Entity', { name: 'driver', joinKeys: [{ name: 'driver_id', type: 'integer' }], ...o });
const service = (o: Record<string, unknown> = {}) => tessera('FeatureService', { name: 'driver_risk_v1', features: ['driver_hourly_stats:conv_rate'], ...o });
const model = (o: Record<string, unknown> = {}) => tessera('Model', { name: 'driver_risk', version: '1.0.0', featureService: 'driver_risk_v1', ...o });
const useCase = (o: Record<string, unknown> = {}) =>
  tessera('UseCase', { name: 'risk', consumer: { team: 'ml' }, dataProducts: [{ id: 'rides-driver-stats' }], ...o });
const domain = (o: Record<string, unknown> = {}) => tessera('Domain', { name: 'rides', ...o });

describe('tessera/v1 documents', () => {
  describe('names', () => {
    it.each(['Driver', '1driver', 'driver stats', 'a'.repeat(64), ''])('refuses name %j', (name) => {
      expectIssue(errorsOf(entity({ name })), 'name', 'must match ^[a-z][a-z0-9_-]{0,62}$');
    });

    it.each(['d', 'driver_stats-2', 'a'.repeat(63)])('accepts name %j', (name) => {
      expect(errorsOf(entity({ name }))).toEqual([]);
    });
  });

  describe('Domain', () => {
    it('normalizes team and glossary', () => {
      const d = valueOf(
        domain({
          description: 'Rides',
          team: { name: 'Rides team', members: [{ username: 'ann', role: 'owner' }] },
          glossary: [{ term: 'Trip', definition: 'A ride', synonyms: ['ride'], products: ['rides-driver-stats'] }],
          extra: 1,
        }),
        'Domain',
      );
      expect(d).toMatchObject({
        name: 'rides',
        description: 'Rides',
        team: { name: 'Rides team', description: null, members: [{ username: 'ann', name: null, role: 'owner' }] },
        glossary: [{ term: 'Trip', definition: 'A ride', synonyms: ['ride'], products: ['rides-driver-stats'] }],
      });
      expect(d.raw.extra).toBe(1);
    });

    it.each([
      ['team.name', { team: { members: [] } }, 'required'],
      ['team.members[0].username', { team: { name: 't', members: [{}] } }, 'required'],
      ['glossary[0].definition', { glossary: [{ term: 'x' }] }, 'required'],
      ['glossary[0].synonyms', { glossary: [{ term: 'x', definition: 'y', synonyms: 'z' }] }, 'expected array, got string'],
      ['glossary[1].term', { glossary: [{ term: 'Trip', definition: 'a' }, { term: 'trip', definition: 'b' }] }, 'duplicate glossary term'],
    ])('%s: %j → %s', (path, o, text) => expectIssue(errorsOf(domain(o)), path, text));
  });

  describe('UseCase', () => {
    it('normalizes consumer and data products', () => {
      const u = valueOf(useCase({ purpose: 'score', dataProducts: [{ id: 'p', outputPort: 'hourly' }] }), 'UseCase');
      expect(u).toMatchObject({
        purpose: 'score',
        consumer: { team: 'ml', dataProduct: null, model: null },
        dataProducts: [{ id: 'p', outputPort: 'hourly' }],
      });
    });

    it.each([
      ['consumer', { consumer: undefined }, 'required'],
      ['consumer', { consumer: {} }, 'must name at least one of team, dataProduct, model'],
      ['dataProducts', { dataProducts: [] }, 'must have at least 1 item'],
      ['dataProducts[0].id', { dataProducts: [{ outputPort: 'x' }] }, 'required'],
    ])('%s: %j → %s', (path, o, text) => expectIssue(errorsOf(useCase(o)), path, text));
  });

  describe('Entity', () => {
    it('normalizes composite keys', () => {
      const e = valueOf(entity({ joinKeys: [{ name: 'a', type: 'string' }, { name: 'b', type: 'date' }], tags: ['t'] }), 'Entity');
      expect(e).toMatchObject({ name: 'driver', description: null, joinKeys: [{ name: 'a', type: 'string' }, { name: 'b', type: 'date' }], tags: ['t'] });
    });

    it.each([
      ['joinKeys', { joinKeys: [] }, 'must have at least 1 item'],
      ['joinKeys[0].type', { joinKeys: [{ name: 'a', type: 'uuid' }] }, 'must be one of string, integer, number, boolean, timestamp, date'],
      ['joinKeys[0].name', { joinKeys: [{ name: 'driver id', type: 'string' }] }, 'must be a column name'],
      ['joinKeys[1].name', { joinKeys: [{ name: 'a', type: 'string' }, { name: 'a', type: 'integer' }] }, 'duplicate join key "a"'],
    ])('%s: %j → %s', (path, o, text) => expectIssue(errorsOf(entity(o)), path, text));
  });

  describe('FeatureView', () => {
    it('normalizes with defaults', () => {
      expect(valueOf(featureView(), 'FeatureView')).toMatchObject({
        name: 'driver_hourly_stats',
        entities: ['driver'],
        source: { dataProduct: 'rides-driver-stats', outputPort: 'hourly' },
        timestampField: 'event_timestamp',
        createdTimestampField: null,
        ttlSeconds: 0,
        online: false,
        features: [
          { name: 'conv_rate', description: null, tags: [] },
          { name: 'acc_rate', description: null, tags: [] },
        ],
        schedule: null,
      });
    });

    it('accepts feature objects, ttl, online, createdTimestampField and schedule', () => {
      const v = valueOf(
        featureView({
          features: ['a', { name: 'b', description: 'B', tags: ['x'] }],
          ttl: '1h30m',
          online: true,
          createdTimestampField: 'created',
          schedule: '0 * * * *',
        }),
        'FeatureView',
      );
      expect(v).toMatchObject({ ttlSeconds: 5400, online: true, createdTimestampField: 'created', schedule: '0 * * * *' });
      expect(v.features[1]).toEqual({ name: 'b', description: 'B', tags: ['x'] });
    });

    it.each([
      ['90s', 90],
      ['30m', 1800],
      ['2h', 7200],
      ['1d', 86400],
      ['1h30m', 5400],
      ['1d2h3m4s', 93784],
      ['0', 0],
      [0, 0],
      [3600, 3600],
      ['3600', 3600],
    ])('ttl %j → %d seconds', (ttl, seconds) => {
      expect(valueOf(featureView({ ttl }), 'FeatureView').ttlSeconds).toBe(seconds);
      expect(parseDurationSeconds(ttl)).toBe(seconds);
    });

    it.each(['2 hours', '1m2h', '-5', '', 'h', '1.5h'])('refuses ttl %j', (ttl) => {
      expectIssue(errorsOf(featureView({ ttl })), 'ttl', 'must be 0, a non-negative integer of seconds, or a duration');
    });

    it.each([-1, 1.5])('refuses numeric ttl %j', (ttl) => {
      expectIssue(errorsOf(featureView({ ttl })), 'ttl', 'must be 0, a non-negative integer of seconds');
    });

    it.each([
      ['entities', { entities: [] }, 'must have at least 1 item'],
      ['entities[1]', { entities: ['driver', 'driver'] }, 'duplicate entity "driver"'],
      ['source.outputPort', { source: { dataProduct: 'p' } }, 'required'],
      ['source', { source: 'p/hourly' }, 'expected object, got string'],
      ['timestampField', { timestampField: undefined }, 'required'],
      ['createdTimestampField', { createdTimestampField: 'created at' }, 'must be a column name'],
      ['online', { online: 'yes' }, 'expected boolean, got string'],
      ['features', { features: [] }, 'must have at least 1 item'],
      ['features[1]', { features: ['a', 'a'] }, 'duplicate feature "a"'],
      ['features[1]', { features: ['a', { name: 'a' }] }, 'duplicate feature "a"'],
      ['features[0]', { features: ['bad name'] }, 'must be a column name'],
      ['features[0].name', { features: [{ description: 'x' }] }, 'required'],
      ['features[0]', { features: [3] }, 'expected string or object, got integer'],
      ['schedule', { schedule: 'every hour' }, 'must be a cron expression with 5 or 6 fields'],
      ['schedule', { schedule: '* * * *' }, 'must be a cron expression'],
    ])('%s: %j → %s', (path, o, text) => expectIssue(errorsOf(featureView(o)), path, text));

    it('accepts a 6-field cron with names', () => {
      expect(errorsOf(featureView({ schedule: '0 0 */2 * * MON-FRI' }))).toEqual([]);
    });
  });

  describe('FeatureService', () => {
    it('normalizes refs in order', () => {
      const s = valueOf(service({ features: ['v:b', 'v:a', 'w:c'] }), 'FeatureService');
      expect(s.features).toEqual(['v:b', 'v:a', 'w:c']);
      expect(s.featureRefs).toEqual([
        { view: 'v', feature: 'b' },
        { view: 'v', feature: 'a' },
        { view: 'w', feature: 'c' },
      ]);
    });

    it.each([
      ['features', { features: [] }, 'must have at least 1 item'],
      ['features[0]', { features: ['conv_rate'] }, 'must be a feature reference view:feature'],
      ['features[0]', { features: ['a:b:c'] }, 'must be a feature reference'],
      ['features[1]', { features: ['v:a', 'v:a'] }, 'duplicate feature reference "v:a"'],
    ])('%s: %j → %s', (path, o, text) => expectIssue(errorsOf(service(o)), path, text));
  });

  describe('Model', () => {
    it('normalizes and keeps unknown fields', () => {
      const m = valueOf(model({ version: 'v1.2.3', file: 'm.onnx', outputs: ['score'] }), 'Model');
      expect(m).toMatchObject({ name: 'driver_risk', version: '1.2.3', featureService: 'driver_risk_v1', file: 'm.onnx', description: null });
      expect(m.raw.outputs).toEqual(['score']);
    });

    it.each([
      ['version', { version: '1.0' }, 'must be a semantic version'],
      ['version', { version: undefined }, 'required'],
      ['featureService', { featureService: undefined }, 'required'],
      ['file', { file: '' }, 'must not be empty'],
    ])('%s: %j → %s', (path, o, text) => expectIssue(errorsOf(model(o)), path, text));
  });

  describe('within-batch duplicates', () => {
    it.each([
      ['Entity', [entity(), entity({ description: 'again' })], 'name', 'duplicate Entity "driver"'],
      ['DataProduct', [product(), product()], 'id', 'duplicate DataProduct id "rides-driver-stats"'],
      ['DataContract', [contract(), contract()], 'id', 'duplicate DataContract id "driver-hourly" version 1.0.0'],
      ['Model', [model(), model({ version: 'v1.0.0' })], 'name', 'duplicate Model "driver_risk" version 1.0.0'],
    ])('%s', (_kind, docs, path, text) => {
      const result = check(docs);
      expectIssue(result.errors, path, `${text}: already defined in contracts/rides/doc.yaml (document 0)`);
      expect(result.errors[0].docIndex).toBe(1);
      expect(result.documents).toHaveLength(1);
    });

    it('allows two versions of a contract or model, and the same name across kinds', () => {
      const result = check([contract(), contract({ version: '2.0.0' }), model(), model({ version: '2.0.0' }), domain({ name: 'driver' }), entity()]);
      expect(result.errors).toEqual([]);
      expect(result.documents).toHaveLength(6);
    });
  });

  it('attaches a content hash that ignores key order and formatting', () => {
    const a = check(['apiVersion: tessera/v1\nkind: Entity\nname: driver\njoinKeys: [{name: driver_id, type: integer}]']);
    const b = check(['joinKeys:\n  - type: integer\n    name: "driver_id"\nname: driver # comment\nkind: Entity\napiVersion: tessera/v1\n']);
    expect(a.documents[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.documents[0].hash).toBe(b.documents[0].hash);
  });
});
