import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Every `METHOD /path` Fastify has registered (HEAD and OPTIONS left out: Fastify adds HEAD to each
 * GET by itself). printRoutes draws a radix tree ("├── /v1/", "│   └── models (GET)"): full paths
 * are rebuilt from the indentation.
 */
export function registeredRoutes(app: NestFastifyApplication): Set<string> {
  const printed = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const registered = new Set<string>();
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const m = /^(\S+)(?: \(([A-Z, ]+)\))?/.exec(line.slice(at + 4));
    if (!m) continue;
    stack[depth] = (depth > 0 ? stack[depth - 1] : '') + m[1];
    stack.length = depth + 1;
    for (const method of (m[2] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean))
      if (method !== 'HEAD' && method !== 'OPTIONS') registered.add(`${method} ${stack[depth]}`);
  }
  // printRoutes draws the wildcard route of the local assets as a bare "*" (find-my-way's drawing of a
  // wildcard child): name it as registered, after checking that it is that route.
  if (registered.delete('GET *')) {
    if (!app.getHttpAdapter().getInstance().hasRoute({ method: 'GET', url: '/_assets/*' })) throw new Error('a GET * route that is not /_assets/*');
    registered.add('GET /_assets/*');
  }
  return registered;
}
