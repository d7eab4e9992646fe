import { NormalizedDescription, NormalizedSupport, NormalizedTeam, NormalizedTeamMember } from './normalized-types';
import { isPlainObject } from './raw-document';

/** Helpers that read already-validated values; the `unknown` inputs only need defaulting. */
export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

export function normalizeDescription(value: unknown): NormalizedDescription {
  const d = isPlainObject(value) ? value : {};
  return { purpose: str(d.purpose), limitations: str(d.limitations), usage: str(d.usage) };
}

function normalizeMembers(value: unknown): NormalizedTeamMember[] {
  return objects(value).map((m) => ({ username: String(m.username), name: str(m.name), role: str(m.role) }));
}

/** ODCS < 3.1 wrote the team as a bare array of members; both forms end up the same. */
export function normalizeTeam(value: unknown): NormalizedTeam | null {
  if (Array.isArray(value)) return { name: null, description: null, members: normalizeMembers(value) };
  if (!isPlainObject(value)) return null;
  return { name: str(value.name), description: str(value.description), members: normalizeMembers(value.members) };
}

export function normalizeSupport(value: unknown): NormalizedSupport[] {
  return objects(value).map((s) => ({
    channel: String(s.channel),
    url: str(s.url),
    tool: str(s.tool),
    scope: str(s.scope),
  }));
}
