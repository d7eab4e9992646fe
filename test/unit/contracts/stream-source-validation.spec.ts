import { check, expectIssue, tessera, valueOf } from './contract-fixtures';

const source = (o: Record<string, unknown> = {}) =>
  tessera('StreamSource', { name: 'vehicle_readings_stream', dataProduct: 'fleet-telemetry', outputPort: 'readings', stream: 'FLEET', subject: 'fleet.readings', ...o });
const errorsOf = (doc: Record<string, unknown>) => check([doc]).errors;

describe('StreamSource documents', () => {
  it('normalizes the issue example, maxDeliver 5 by default', () => {
    expect(valueOf(source(), 'StreamSource')).toMatchObject({
      name: 'vehicle_readings_stream',
      description: null,
      dataProduct: 'fleet-telemetry',
      outputPort: 'readings',
      stream: 'FLEET',
      subject: 'fleet.readings',
      maxDeliver: 5,
    });
  });

  it.each(['fleet.*.readings', 'fleet.>', 'a', 'fleet_1.read-ings'])('accepts subject %j', (subject) => {
    expect(errorsOf(source({ subject }))).toEqual([]);
  });

  it.each(['fleet readings', 'fleet..readings', '.fleet', 'fleet.>.x', 'fleet.', ''])('refuses subject %j, naming the field', (subject) => {
    expectIssue(errorsOf(source({ subject })), 'subject', 'must be a NATS subject');
  });

  it.each(['has.dot', 'has space', '', 'x'.repeat(65)])('refuses stream %j', (stream) => {
    expectIssue(errorsOf(source({ stream })), 'stream', 'must be a NATS stream name');
  });

  it('requires the port and bounds maxDeliver', () => {
    const doc = source();
    delete doc.outputPort;
    expect(errorsOf(doc).map((e) => e.path)).toContain('outputPort');
    expect(errorsOf(source({ maxDeliver: 0 })).map((e) => e.path)).toEqual(['maxDeliver']);
    expect(errorsOf(source({ maxDeliver: 101 })).map((e) => e.path)).toEqual(['maxDeliver']);
    expect(valueOf(source({ maxDeliver: 12 }), 'StreamSource').maxDeliver).toBe(12);
  });
});
