import fastify from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { fastifyLoggingOptions } from '../../src/observability/logging/request-logging';

/** Fastify's per-request logger is built only when written to (issue 16), and then writes what the real child would. */
describe('lazy request child logger', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, root: pino({ level: 'info', redact: { paths: ['*.token'], censor: '[redacted]' } }, stream) };
  };

  it('gives request.log lines the request id, the root redaction and the level, and builds no child for a request that writes none', async () => {
    const { lines, root } = capture();
    let children = 0;
    const child = root.child.bind(root);
    root.child = ((...args: Parameters<typeof root.child>) => {
      children++;
      return child(...args);
    }) as typeof root.child;
    const app = fastify(fastifyLoggingOptions(root));
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/loud', async (request) => {
      request.log.debug('below the level');
      request.log.warn({ auth: { token: 'secret' } }, 'written');
      return { ok: true };
    });
    await app.ready();
    const before = children;
    await app.inject({ method: 'GET', url: '/quiet', headers: { 'x-request-id': 'quiet-1' } });
    expect(children).toBe(before);
    await app.inject({ method: 'GET', url: '/loud', headers: { 'x-request-id': 'loud-1' } });
    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => l.msg !== undefined && l.reqId !== undefined)).toEqual([expect.objectContaining({ level: 40, reqId: 'loud-1', msg: 'written', auth: { token: '[redacted]' } })]);
    await app.close();
  });
});
