/** SQLSTATE classes (PostgreSQL appendix A) a rule can plausibly hit, with a reason that quotes nothing. */
const CLASSES: Record<string, string> = {
  '0A': 'feature not supported',
  '21': 'cardinality violation',
  '22': 'data exception (a value the expression cannot handle)',
  '25': 'invalid transaction state (rules are read-only)',
  '2B': 'dependent privilege descriptors still exist',
  '3F': 'invalid schema name',
  '42': 'syntax error or access rule violation',
  '53': 'insufficient resources',
  '54': 'program limit exceeded',
  '55': 'object not in prerequisite state',
  '57': 'operator intervention',
  '08': 'connection exception',
  XX: 'internal error',
};

/** Codes worth a more precise reason than their class. */
const CODES: Record<string, string> = {
  '42501': "insufficient privilege: the domain's role may read only its own domain's schema",
  '57014': 'canceled: the statement timeout was reached',
  '42P01': 'undefined table',
  '42704': "undefined object (is the domain's role missing?)",
  '42703': 'undefined column',
  '42883': 'undefined function',
  '42601': 'syntax error',
  '25006': 'read-only transaction: rules cannot write',
};

/**
 * What a failed rule statement reports: its SQLSTATE and a generic reason, never PostgreSQL's message
 * or detail, which can quote row values (`invalid input syntax for type integer: "<value>"`) — of a
 * table the rule had no right to, when the failure is how it tried to read one.
 */
export function describeSqlFailure(e: unknown): string {
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : null;
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return 'the statement failed (no SQLSTATE)';
  return `SQLSTATE ${code}, ${CODES[code] ?? CLASSES[code.slice(0, 2)] ?? 'error'}`;
}
