import semver, { SemVer } from 'semver';
import { ContractDiff, DiffImpact } from './diff-types';

/**
 * Contract versions are free strings in ODCS; authors write `v1.0.0` or `1.0`, so they are
 * read leniently (coerced) before comparing.
 */
export function parseVersion(version: string | null | undefined): SemVer | null {
  if (typeof version !== 'string') return null;
  const valid = semver.valid(version, { loose: true });
  if (valid) return new SemVer(valid);
  return semver.coerce(version, { includePrerelease: true });
}

const RELEASE: Record<Exclude<DiffImpact, 'NONE'>, semver.ReleaseType> = { MAJOR: 'major', MINOR: 'minor', PATCH: 'patch' };

/** `version` bumped by `impact`, keeping a leading `v` if the author uses one; unparsable versions are returned as-is. */
export function suggestVersion(version: string, impact: DiffImpact): string {
  const parsed = parseVersion(version);
  if (!parsed) return version;
  const next = impact === 'NONE' ? parsed.version : (semver.inc(parsed, RELEASE[impact]) ?? parsed.version);
  return /^v/i.test(version.trim()) ? `v${next}` : next;
}

/**
 * Whether `to` may replace `from`: never a lower version, and breaking changes need a higher
 * major (as the brief requires, also for 0.x). The same version with a MINOR/PATCH diff is
 * allowed; the caller warns.
 */
export function checkVersionBump(
  from: { version: string },
  to: { version: string },
  diff: Pick<ContractDiff, 'impact' | 'breaking' | 'suggestedVersion'>,
): { ok: boolean; reason?: string } {
  const a = parseVersion(from.version);
  const b = parseVersion(to.version);
  if (!a || !b) {
    if (from.version === to.version && diff.impact !== 'MAJOR') return { ok: true };
    const bad = !a ? from.version : to.version;
    return { ok: false, reason: `version ${JSON.stringify(bad)} is not a semantic version, so the change cannot be checked` };
  }
  if (semver.lt(b, a)) {
    return { ok: false, reason: `version ${to.version} is lower than the current version ${from.version}` };
  }
  if (diff.impact === 'MAJOR' && b.major <= a.major) {
    const n = diff.breaking.length;
    return {
      ok: false,
      reason: `${n} breaking change${n === 1 ? '' : 's'} require${n === 1 ? 's' : ''} a new major version (${from.version} → ${diff.suggestedVersion} or later)`,
    };
  }
  return { ok: true };
}
