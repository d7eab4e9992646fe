/** Transport of the client: fetch with the API key, JSON in and out, typed errors. */

export interface ClientOptions {
  /** e.g. http://127.0.0.1:3000 (no trailing slash needed). */
  baseUrl: string;
  /** An API key or session token, sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Another fetch (tests, proxies); defaults to the global one. */
  fetch?: typeof fetch;
}

/** The service's error body (ADR 0004): a code, a message and the fields at fault. */
export class TesseraError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; reason: string }[] = [],
  ) {
    super(message);
    this.name = 'TesseraError';
  }
}

export class Transport {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchFn(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = (parsed as { error?: { code?: string; message?: string; details?: { field: string; reason: string }[] } } | undefined)?.error;
      throw new TesseraError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? (text.slice(0, 200) || res.statusText), err?.details ?? []);
    }
    return parsed as T;
  }
}

export const segment = (s: string): string => encodeURIComponent(s);
