/** How one error code surfaces to clients over HTTP and GraphQL. */
export interface ErrorSurface {
  http: number;
  graphql: string;
}

/**
 * Base of every error a client may see. Each module subclasses it with its own enum of codes and a
 * `Record<Code, ErrorSurface>`, so the compiler proves every code has an HTTP status and a GraphQL code.
 */
export abstract class TesseraError extends Error {
  abstract readonly code: string;
  abstract readonly surface: ErrorSurface;

  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/**
 * A module's error: its codes are an enum, and `surfaces` maps every code (a Record, so the compiler
 * proves exhaustiveness) to its HTTP status and GraphQL code.
 */
export abstract class CodedError<Code extends string> extends TesseraError {
  readonly surface: ErrorSurface;
  protected constructor(
    surfaces: Record<Code, ErrorSurface>,
    readonly code: Code,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
    this.surface = surfaces[code];
  }
}
