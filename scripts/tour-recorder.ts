import { json } from './tour-format';

/**
 * Writes the tour as Markdown while it runs: a heading and a sentence per step, then the commands a
 * reader would type and the service's real answers in one code block. The README's tour is this
 * output (`npm run tour -- --readme` rewrites it).
 */
export class TourRecorder {
  private inBlock = false;
  readonly lines: string[] = [];

  constructor(private readonly print: (line: string) => void) {}

  private emit(line: string): void {
    this.lines.push(line);
    this.print(line);
  }

  private open(): void {
    if (!this.inBlock) this.emit('```');
    this.inBlock = true;
  }

  close(): void {
    if (this.inBlock) this.emit('```');
    this.inBlock = false;
  }

  step(n: number, title: string, prose = ''): void {
    this.close();
    this.emit('');
    this.emit(`**${n}. ${title}**${prose ? ` ${prose}` : ''}`);
    this.emit('');
  }

  /** Prose between two code blocks of one step. */
  say(text: string): void {
    this.close();
    this.emit('');
    this.emit(text);
    this.emit('');
  }

  shell(command: string): void {
    this.open();
    this.emit(`$ ${command}`);
  }

  show(value: unknown, clip?: { items?: number; chars?: number }): void {
    this.open();
    this.emit(typeof value === 'string' ? value : json(value, clip));
  }
}
