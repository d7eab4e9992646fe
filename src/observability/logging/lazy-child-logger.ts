import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fastify gives every request a child logger bound to its id (`request.log`). pino builds a child by
 * serializing its bindings through the root's redaction: ~2 KB and a few µs per request, for a logger
 * Tessera's code never uses (our lines get the id from the request context, the access line names it).
 * This stands in for it and builds the real child only when Fastify itself writes a line with it
 * (an error it handles alone, a reply sent twice), so those lines still carry the request id (issue 16).
 */
export class LazyChildLogger {
  private real?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.real?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.realChild().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.realChild().child(bindings, options);
  }

  private write(level: Level, args: unknown[]): void {
    // Below the level nothing is built: the common case of debug and trace.
    if (!this.parent.isLevelEnabled(level)) return;
    const log = this.realChild();
    Reflect.apply(log[level], log, args);
  }

  private realChild(): Logger {
    return (this.real ??= this.parent.child(this.bindings, this.options));
  }
}
