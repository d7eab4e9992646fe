import { readFileSync } from 'node:fs';

/**
 * Just enough of the Dockerfile grammar to check our own image without a Docker engine: line
 * continuations, comments, ARG defaults substituted into FROM, stages, and the instructions whose
 * meaning the tests assert (ENV, USER, WORKDIR, COPY, RUN, CMD, ENTRYPOINT, HEALTHCHECK, ...).
 */
export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined. */
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export interface CopyInstruction {
  from?: string;
  sources: string[];
  dest: string;
}

export interface Dockerfile {
  args: Map<string, string>;
  stages: Stage[];
}

/** Logical lines: comments and blank lines dropped, `\` continuations joined (comment lines inside a continuation skipped, as BuildKit does). */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (current === '' && line.trim() === '')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push((current + line.trim()).trim());
    current = '';
  }
  if (current.trim() !== '') lines.push(current.trim());
  return lines;
}

const substitute = (value: string, args: Map<string, string>): string => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => args.get(a ?? b ?? '') ?? m);

export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name, value] = rest.split('=', 2);
      args.set(name, value ?? '');
    } else if (upper === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      stages.push({ from: substitute(image, args), name: as?.toUpperCase() === 'AS' ? name : String(stages.length), instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${upper} before the first FROM`);
      stages[stages.length - 1].instructions.push({ keyword: upper, args: rest });
    }
  }
  return { args, stages };
}

export function readDockerfile(path = 'Dockerfile'): Dockerfile {
  return parseDockerfile(readFileSync(path, 'utf8'));
}

export const finalStage = (d: Dockerfile): Stage => d.stages[d.stages.length - 1];

export const instructions = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);

/** The last instruction of that kind in the stage (Docker's rule for CMD, ENTRYPOINT, USER, HEALTHCHECK). */
export const last = (stage: Stage, keyword: string): Instruction | undefined => instructions(stage, keyword).at(-1);

/** An exec-form (JSON array) argument list, or undefined for the shell form (which would put /bin/sh in front, between the signal and node). */
export function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`) as a map, in order. */
export function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { args } of instructions(stage, 'ENV')) {
    if (!args.includes('=') || /^\S+\s/.test(args.split('=')[0])) {
      const [name, ...value] = args.split(/\s+/);
      env.set(name, value.join(' '));
      continue;
    }
    for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) env.set(m[1], m[3] ?? m[2]);
  }
  return env;
}

export function copiesOf(stage: Stage): CopyInstruction[] {
  return instructions(stage, 'COPY').map(({ args }) => {
    const words = args.split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
  });
}

/** HEALTHCHECK's options (`--interval=10s` ...) and its exec-form command. */
export function healthcheckOf(stage: Stage): { options: Map<string, string>; command: string[] | undefined } | undefined {
  const hc = last(stage, 'HEALTHCHECK');
  if (!hc) return undefined;
  const match = /^((?:--\S+\s+)*)CMD\s+(.*)$/.exec(hc.args);
  if (!match) return { options: new Map(), command: undefined };
  const options = new Map([...match[1].matchAll(/--([\w-]+)=(\S+)/g)].map((m) => [m[1], m[2]] as [string, string]));
  return { options, command: execForm(match[2]) };
}

/** The stage's WORKDIR (the last one; Docker resolves relative paths against it). */
export const workdirOf = (stage: Stage): string => last(stage, 'WORKDIR')?.args ?? '/';
