import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplyIssue } from '../contracts/documents/apply-issue';
import type { ValidatedDocument } from '../contracts/documents/normalized-types';
import type { ApplyChange, ContractFile } from './apply-report';

/** What an extension sees of one apply: its transaction, its documents and the catalog changes made. */
export interface ApplyContext {
  manager: EntityManager;
  documents: ValidatedDocument[];
  changes: ApplyChange[];
  issues: ApplyIssue[];
  /** Who applies (principal id), for documents that record a proposer. */
  actor: string;
  /** Every file of the request, binary attachments (encoding base64, e.g. a Model's .onnx) included. */
  files?: readonly ContractFile[];
}

/**
 * Another module's part of an apply (e.g. governance: Policy documents and policy checks). Hooks
 * run inside the apply transaction after the catalog documents are written, so they see the new
 * state and an error issue they add rolls the whole apply back.
 */
export interface ApplyExtension {
  applyDocuments?(ctx: ApplyContext): Promise<ApplyChange[]>;
  afterApply?(ctx: ApplyContext): Promise<void>;
}

/**
 * Registry the catalog exposes so modules that depend on it can join the apply without a
 * circular import: they register on module init, the apply service calls them in order.
 */
@Injectable()
export class ApplyExtensions {
  private readonly list: ApplyExtension[] = [];

  register(extension: ApplyExtension): void {
    if (!this.list.includes(extension)) this.list.push(extension);
  }

  get all(): readonly ApplyExtension[] {
    return this.list;
  }
}
