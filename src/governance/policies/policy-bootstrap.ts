import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readContractDirectory } from '../../catalog/apply/read-contract-directory';
import { parseContractFiles } from '../../catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../catalog/contracts/documents/validate-documents';
import { TesseraConfig } from '../../config/tessera-config';
import { PolicyReviewService } from './policy-review.service';

/**
 * The platform starts governed (ADR 0010): on the very first start of a mesh that has no policy at
 * all, the policies under `<apply-on-start dir>/policies` (the shipped defaults) are inserted as
 * active, proposed by `system:bootstrap`. Runs before main.ts applies that directory, so the first
 * apply is already checked. Once any policy exists, every change goes through the review.
 */
@Injectable()
export class PolicyBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('PolicyBootstrap');

  constructor(
    private readonly config: TesseraConfig,
    private readonly review: PolicyReviewService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const dir = this.config.applyOnStartDir;
    if (!dir) return;
    const policiesDir = join(dir, 'policies');
    if (!existsSync(policiesDir) || !statSync(policiesDir).isDirectory()) return;
    const parsed = parseContractFiles(readContractDirectory(policiesDir));
    const validated = validateDocuments(parsed.docs);
    const errors = [...parsed.issues, ...validated.issues].filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      this.logger.error(`not bootstrapping policies from ${policiesDir}: ${errors.map((e) => `${e.file} ${e.path}: ${e.message}`).join('; ')}`);
      return;
    }
    const policies = validated.documents.filter((d) => d.kind === 'Policy').map((d) => ({ value: d.value, hash: d.hash, file: d.file }));
    if (policies.length === 0) return;
    const n = await this.review.bootstrap(policies, `bootstrapped as active from ${policiesDir} at the first start of an ungoverned mesh (ADR 0010)`);
    if (n > 0) this.logger.log(`governance bootstrap: ${n} default policies active`);
  }
}
