import { parseAllDocuments } from 'yaml';
import { ApplyIssue, IssueSink, describeType } from './apply-issue';
import {
  DocumentKind,
  RawDocument,
  TESSERA_API_VERSION,
  TESSERA_KINDS,
  isPlainObject,
  isTesseraKind,
} from './raw-document';

export type { DocumentKind, RawDocument } from './raw-document';

export interface ContractFile {
  path: string;
  content: string;
}

/** Guards against hostile input: contract files come from API callers, not only from trusted repos. */
export interface ParseLimits {
  /** Bytes per file (UTF-8). */
  maxFileBytes: number;
  /** Documents (`---` sections) per file. */
  maxDocumentsPerFile: number;
  /** Alias dereferences per document; a "billion laughs" file needs thousands. */
  maxAliasCount: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxDocumentsPerFile: 200,
  maxAliasCount: 100,
};

const ALLOWED_KINDS_TEXT =
  `DataProduct (ODPS), DataContract (ODCS), or apiVersion ${TESSERA_API_VERSION} with kind ` +
  TESSERA_KINDS.join(', ');

export function parseContractFiles(
  files: ContractFile[],
  limits: Partial<ParseLimits> = {},
): { docs: RawDocument[]; issues: ApplyIssue[] } {
  const effective: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...limits };
  const docs: RawDocument[] = [];
  const issues: ApplyIssue[] = [];
  for (const file of files) {
    const result = parseFile(file, effective);
    docs.push(...result.docs);
    issues.push(...result.issues);
  }
  return { docs, issues };
}

function parseFile(file: ContractFile, limits: ParseLimits): { docs: RawDocument[]; issues: ApplyIssue[] } {
  const sink = new IssueSink(file.path);
  const docs: RawDocument[] = [];
  const bytes = Buffer.byteLength(file.content, 'utf8');
  if (bytes > limits.maxFileBytes) {
    sink.error('', `file is ${bytes} bytes, larger than the limit of ${limits.maxFileBytes} bytes`);
    return { docs, issues: sink.issues };
  }
  // `uniqueKeys` (default) rejects duplicate keys, which would otherwise silently drop data.
  const parsed = parseAllDocuments(file.content, { prettyErrors: true });
  const yamlDocs = Array.isArray(parsed) ? parsed : [];
  if (yamlDocs.length > limits.maxDocumentsPerFile) {
    sink.error('', `file has ${yamlDocs.length} documents, more than the limit of ${limits.maxDocumentsPerFile}`);
    return { docs, issues: sink.issues };
  }
  yamlDocs.forEach((yamlDoc, docIndex) => {
    const docSink = new IssueSink(file.path, docIndex);
    if (yamlDoc.errors.length > 0) {
      for (const err of yamlDoc.errors) docSink.error('', `YAML syntax error${position(err.linePos)}: ${firstLine(err.message)}`);
      sink.issues.push(...docSink.issues);
      return;
    }
    for (const warning of yamlDoc.warnings) {
      docSink.warn('', `YAML warning${position(warning.linePos)}: ${firstLine(warning.message)}`);
    }
    let body: unknown;
    try {
      body = yamlDoc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      // yaml throws a ReferenceError when the alias budget is exceeded (resource exhaustion).
      docSink.error('', `YAML could not be loaded: ${firstLine(err instanceof Error ? err.message : String(err))}`);
      sink.issues.push(...docSink.issues);
      return;
    }
    if (body === null || body === undefined) return; // empty document, e.g. a trailing `---`
    if (!isPlainObject(body)) {
      docSink.error('', `document must be a mapping (object), got ${describeType(body)}`);
    } else {
      const kind = detectKind(body, docSink);
      if (kind) docs.push({ file: file.path, docIndex, kind, body });
    }
    sink.issues.push(...docSink.issues);
  });
  return { docs, issues: sink.issues };
}

/** Decides which schema applies; the error names the field to fix and every value that would work. */
function detectKind(body: Record<string, unknown>, sink: IssueSink): DocumentKind | null {
  const { kind, apiVersion } = body;
  if (kind === 'DataProduct' || kind === 'DataContract') return kind;
  if (apiVersion === TESSERA_API_VERSION) {
    if (isTesseraKind(kind)) return kind;
    const got = kind === undefined ? 'kind is required' : `unknown kind ${JSON.stringify(kind)}`;
    sink.error('kind', `${got}; with apiVersion ${TESSERA_API_VERSION} it must be one of ${TESSERA_KINDS.join(', ')}`);
    return null;
  }
  if (isTesseraKind(kind)) {
    const got = apiVersion === undefined ? 'apiVersion is required' : `unsupported apiVersion ${JSON.stringify(apiVersion)}`;
    sink.error('apiVersion', `${got}; kind ${kind} requires apiVersion ${TESSERA_API_VERSION}`);
    return null;
  }
  const got = kind === undefined ? 'kind is required' : `unknown kind ${JSON.stringify(kind)}`;
  sink.error('kind', `${got}; expected ${ALLOWED_KINDS_TEXT}`);
  return null;
}

function position(linePos: readonly { line: number; col: number }[] | undefined): string {
  const start = linePos?.[0];
  return start ? ` at line ${start.line}, col ${start.col}` : '';
}

/**
 * yaml's pretty errors append "at line X, column Y:" and a code excerpt; we print the position
 * ourselves, so keep only the reason.
 */
function firstLine(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?\s*$/, '')
    .trim();
}
