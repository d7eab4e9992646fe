/**
 * One problem found while reading or validating contract documents. Issues are collected, never
 * thrown, so a single apply reports everything wrong with a batch at once.
 */
export interface ApplyIssue {
  file: string;
  /** Dotted/bracket path inside the document, e.g. `schema[0].properties[2].logicalType`; '' = whole document. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
  docIndex?: number;
  /** Set on policy violations (ADR 0010): the policy revision id and the data product it judged. */
  policy?: string;
  product?: string;
}

export type PathSegment = string | number;

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['schema', 0, 'properties', 2]` → `schema[0].properties[2]`; odd keys are quoted so the path stays unambiguous. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (SIMPLE_KEY.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Appends a child segment to an already formatted path. */
export function joinPath(base: string, ...segments: PathSegment[]): string {
  const tail = formatPath(segments);
  if (base === '') return tail;
  if (tail === '' || tail.startsWith('[')) return base + tail;
  return `${base}.${tail}`;
}

/** Collects issues for one document so helpers do not have to repeat file/docIndex. */
export class IssueSink {
  readonly issues: ApplyIssue[] = [];

  constructor(
    readonly file: string,
    readonly docIndex?: number,
  ) {}

  error(path: string, message: string): void {
    this.issues.push(this.make(path, message, 'error'));
  }

  warn(path: string, message: string): void {
    this.issues.push(this.make(path, message, 'warning'));
  }

  get hasErrors(): boolean {
    return this.issues.some((i) => i.severity === 'error');
  }

  private make(path: string, message: string, severity: ApplyIssue['severity']): ApplyIssue {
    const issue: ApplyIssue = { file: this.file, path, message, severity };
    if (this.docIndex !== undefined) issue.docIndex = this.docIndex;
    return issue;
  }
}

/** Short human description of a value's type for "expected X, got Y" messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** JSON of a value for messages, cut short so a pasted blob cannot flood an API answer. */
export function preview(value: unknown, max = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
