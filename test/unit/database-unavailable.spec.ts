import { databaseUnavailable, toTesseraError } from '../../src/common/errors/to-tessera-error';

describe('PostgreSQL being down is a 503 DATABASE_UNAVAILABLE, never the driver text', () => {
  it.each([
    ['refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['server shut down by the administrator (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['server starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['connection exception class 08', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['TypeORM QueryFailedError around a driver error', { name: 'QueryFailedError', message: 'x', driverError: { code: '57P01', message: 'terminating connection' } }],
    ['connection ended mid-query', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['client broken earlier', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s', (_what, err) => {
    const { error, unexpected } = toTesseraError(err);
    expect(unexpected).toBe(false);
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.surface).toEqual({ http: 503, graphql: 'SERVICE_UNAVAILABLE' });
    expect(error.message).toBe('the database is unavailable; retry shortly');
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an object', 'boom'],
  ])('leaves %s alone', (_what, err) => {
    expect(databaseUnavailable(err)).toBeNull();
  });
});
