import { Injectable, OnModuleInit } from '@nestjs/common';
import { posix } from 'node:path';
import type { ApplyContext, ApplyExtension } from '../../catalog/apply/apply-extensions';
import { ApplyExtensions } from '../../catalog/apply/apply-extensions';
import type { ApplyChange, ContractFile } from '../../catalog/apply/apply-report';
import type { ApplyIssue } from '../../catalog/contracts/documents/apply-issue';
import type { ValidatedDocument } from '../../catalog/contracts/documents/normalized-types';
import { ModelRegistryService } from '../registry/model-registry.service';
import { ScoringError } from '../scoring-error';

type ModelDoc = Extract<ValidatedDocument, { kind: 'Model' }>;

/**
 * Registers the model version of every `Model` document of a contracts apply, in the apply's
 * transaction (after the catalog stored the document and the feature services it needs): the `file`
 * it names — a path relative to the document — must come with the apply as a base64 attachment.
 * Every mismatch becomes an apply error on the document, so a rejected or dry-run apply registers
 * nothing; an identical version is `unchanged`, different bytes or metadata for it an error.
 */
@Injectable()
export class ModelApplyExtension implements ApplyExtension, OnModuleInit {
  constructor(
    private readonly extensions: ApplyExtensions,
    private readonly registry: ModelRegistryService,
  ) {}

  onModuleInit(): void {
    this.extensions.register(this);
  }

  async applyDocuments(ctx: ApplyContext): Promise<ApplyChange[]> {
    const models = ctx.documents.filter((d): d is ModelDoc => d.kind === 'Model');
    const attachments = new Map((ctx.files ?? []).map((f) => [posix.normalize(f.path), f]));
    const used = new Set<string>();
    const changes: ApplyChange[] = [];
    // A catalog error already rolls the apply back; registering on top would only add echoes of it.
    const failedBefore = ctx.issues.some((i) => i.severity === 'error');
    for (const d of models) {
      const issue = (path: string, message: string, severity: ApplyIssue['severity'] = 'error') => ctx.issues.push({ file: d.file, docIndex: d.docIndex, path, message, severity });
      const m = d.value;
      if (!m.file) {
        issue('file', `Model ${m.name} ${m.version} names no file: the document is stored but no model version is registered (add file: <name>.onnx next to it, or upload with POST /v1/models)`, 'warning');
        continue;
      }
      const path = posix.join(posix.dirname(d.file), m.file);
      const attachment = attachments.get(path);
      used.add(path);
      if (!attachment || attachment.encoding !== 'base64') {
        issue(
          'file',
          attachment
            ? `Model ${m.name} ${m.version}: file ${path} was sent as text; send it with encoding: base64 (tessera apply does)`
            : `Model ${m.name} ${m.version}: file ${m.file} (${path}) is not among the applied files; apply the directory that holds it, or send it with encoding: base64`,
        );
        continue;
      }
      if (failedBefore) continue;
      try {
        const result = await this.registry.registerFromDocument(ctx.manager, m.raw, bytesOf(attachment), { sourceFile: d.file, registeredBy: ctx.actor });
        for (const w of result.warnings) issue('', w, 'warning');
        changes.push({ file: d.file, kind: 'ModelVersion', id: m.name, version: result.model.version, action: result.action });
      } catch (err) {
        if (!(err instanceof ScoringError)) throw err;
        const problems = err.problems;
        if (problems.length === 0) issue('', err.message);
        for (const p of problems) issue(p.field, `${p.reason} (${err.code})`);
      }
    }
    for (const f of ctx.files ?? []) {
      if (f.encoding === 'base64' && !used.has(posix.normalize(f.path))) {
        ctx.issues.push({ file: f.path, path: '', severity: 'warning', message: 'binary file not named by any Model document of this apply; ignored' });
      }
    }
    return changes;
  }
}

function bytesOf(f: ContractFile): Uint8Array {
  return new Uint8Array(Buffer.from(f.content, 'base64'));
}
