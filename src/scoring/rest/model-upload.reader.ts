import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { ScoringError, ScoringErrorCode, ScoringProblem } from '../scoring-error';

/** A Model document is a few kilobytes; anything near this is not one. */
const MAX_METADATA_BYTES = 1024 * 1024;
const PARTS = ['metadata', 'file'] as const;

export interface ModelUpload {
  metadata: unknown;
  file: Buffer;
}

/**
 * Reads `POST /v1/models`: part `metadata` (YAML or JSON, as a field or an attached file) and part
 * `file` (the .onnx bytes, at most `maxFileBytes`). Every problem with the request is named at once.
 */
export async function readModelUpload(req: FastifyRequest, maxFileBytes: number): Promise<ModelUpload> {
  if (typeof req.isMultipart !== 'function' || !req.isMultipart()) {
    throw new ScoringError(ScoringErrorCode.INVALID_UPLOAD, 'POST /v1/models takes multipart/form-data with a part "metadata" (the Model document, YAML or JSON) and a part "file" (the .onnx bytes)');
  }
  const problems: ScoringProblem[] = [];
  const found = new Map<string, Buffer | string>();
  try {
    for await (const part of req.parts({ limits: { fileSize: maxFileBytes, files: 2, fields: 2, parts: 4 } })) {
      const name = part.fieldname;
      const value = await partValue(part);
      if (!(PARTS as readonly string[]).includes(name)) problems.push({ field: name, reason: 'unknown part; expected "metadata" and "file"' });
      else if (found.has(name)) problems.push({ field: name, reason: 'part given more than once' });
      else found.set(name, value);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new ScoringError(ScoringErrorCode.MODEL_TOO_LARGE, `the ONNX file is larger than ${maxFileBytes} bytes (TESSERA_MODEL_MAX_BYTES)`, [{ field: 'file', reason: `larger than ${maxFileBytes} bytes` }]);
    }
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new ScoringError(ScoringErrorCode.INVALID_UPLOAD, 'too many parts: send exactly "metadata" and "file"');
    }
    // Anything else thrown while reading parts is busboy refusing the body itself (no boundary,
    // truncated form, bad part headers): the client's fault, never a 500.
    const reason = `malformed multipart body: ${String((err as Error)?.message ?? err)
      .split('\n')[0]
      .slice(0, 200)}`;
    throw new ScoringError(ScoringErrorCode.INVALID_UPLOAD, reason, [{ field: '(body)', reason }]);
  }
  for (const name of PARTS) if (!found.has(name)) problems.push({ field: name, reason: 'required part missing' });
  if (problems.length > 0) {
    throw new ScoringError(ScoringErrorCode.INVALID_UPLOAD, `invalid upload: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, problems);
  }
  const file = found.get('file')!;
  return { metadata: parseMetadata(found.get('metadata')!), file: typeof file === 'string' ? Buffer.from(file, 'utf8') : file };
}

async function partValue(part: Multipart): Promise<Buffer | string> {
  if (part.type === 'file') return part.toBuffer();
  return typeof part.value === 'string' ? part.value : String(part.value);
}

function parseMetadata(raw: Buffer | string): unknown {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (Buffer.byteLength(text, 'utf8') > MAX_METADATA_BYTES) {
    throw new ScoringError(ScoringErrorCode.INVALID_METADATA, `the metadata part is larger than ${MAX_METADATA_BYTES} bytes`, [{ field: 'metadata', reason: 'too large' }]);
  }
  let value: unknown;
  try {
    // JSON is YAML 1.2, so one parser reads both; few aliases, so a "billion laughs" document fails fast.
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const reason = `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`;
    throw new ScoringError(ScoringErrorCode.INVALID_METADATA, `invalid metadata part: ${reason}`, [{ field: 'metadata', reason }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScoringError(ScoringErrorCode.INVALID_METADATA, 'the metadata part must be a Model document (a YAML or JSON object)', [{ field: 'metadata', reason: 'expected an object' }]);
  }
  return value;
}
