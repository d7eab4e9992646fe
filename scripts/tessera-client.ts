/** A small HTTP client of a running Tessera, shared by `npm run demo:train` and `npm run tour`. */
export type ErrorBody = { error?: { code: string; message: string; details?: unknown } };

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

export class TesseraClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string | undefined,
  ) {}

  /** Environment of the CLI and scripts: TESSERA_URL (else http://127.0.0.1:3000), TESSERA_API_KEY (else TESSERA_ADMIN_KEY). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): TesseraClient {
    return new TesseraClient((env.TESSERA_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''), env.TESSERA_API_KEY ?? env.TESSERA_ADMIN_KEY);
  }

  withKey(key: string | undefined): TesseraClient {
    return new TesseraClient(this.baseUrl, key);
  }

  /** Any answer, refused ones included; throws only when the service cannot be reached. */
  async send<T = unknown>(method: string, path: string, body: string | object | null = null, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    const contentType = typeof body === 'string' ? 'application/x-ndjson' : 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(body === null ? {} : { 'content-type': contentType }), ...(this.key ? { authorization: `Bearer ${this.key}` } : {}), ...headers },
        body: body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach Tessera at ${this.baseUrl} (${(err as Error).message}); start it with \`npm start\` or set TESSERA_URL`, { cause: err });
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics, HTML): the text itself
    }
    return { status: res.status, body: parsed as T };
  }

  /** A 2xx answer's body; anything else throws with the error's code, message and details. */
  async call<T>(method: string, path: string, body: string | object | null = null): Promise<T> {
    const res = await this.send<T & ErrorBody>(method, path, body);
    if (res.status >= 300) {
      const e = res.body.error;
      throw new Error(`${method} ${path} refused (${res.status} ${e?.code}): ${e?.message}\n${JSON.stringify(e?.details, null, 2)}`);
    }
    return res.body;
  }

  /** A GET that answers null on 404. */
  async find<T>(path: string): Promise<T | null> {
    const res = await this.send<T>('GET', path);
    return res.status === 404 ? null : this.call<T>('GET', path);
  }

  async gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
    return (await this.send<{ data?: T }>('POST', '/graphql', { query, variables })).body;
  }
}
