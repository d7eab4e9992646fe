/** Kinds of documents `apply` understands: the two Bitol standards plus Tessera's own `tessera/v1` kinds. */
export const TESSERA_KINDS = ['Domain', 'UseCase', 'Entity', 'FeatureView', 'FeatureService', 'Model', 'Policy', 'StreamSource'] as const;
export type TesseraKind = (typeof TESSERA_KINDS)[number];
export type DocumentKind = 'DataProduct' | 'DataContract' | TesseraKind;

export const TESSERA_API_VERSION = 'tessera/v1';

/** A parsed YAML/JSON document whose kind is known but whose content is not validated yet. */
export interface RawDocument {
  file: string;
  /** Position of the document in its file (0-based, counting `---` separated sections). */
  docIndex: number;
  kind: DocumentKind;
  body: Record<string, unknown>;
}

export function isTesseraKind(value: unknown): value is TesseraKind {
  return typeof value === 'string' && (TESSERA_KINDS as readonly string[]).includes(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
