import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { applyDocuments } from '../../governance/auth/resources';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { ApplyService } from '../apply/apply.service';
import { ApplyReport } from '../apply/apply-report';
import { CatalogError, CatalogErrorCode } from '../catalog-error';

export const MAX_FILES_PER_APPLY = 5000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const applyBody = z.strictObject({
  files: z
    .array(
      z
        .strictObject({ path: z.string().min(1).max(1024), content: z.string(), encoding: z.literal('base64').optional() })
        .refine((f) => f.encoding !== 'base64' || BASE64.test(f.content), { message: 'content is not valid base64', path: ['content'] }),
    )
    .min(1, 'at least one file is required')
    .max(MAX_FILES_PER_APPLY, `at most ${MAX_FILES_PER_APPLY} files per apply`),
  dryRun: z.boolean().default(false),
});

@Controller('v1/contracts')
export class ApplyController {
  constructor(private readonly applyService: ApplyService) {}

  /** Applies ODPS, ODCS and tessera/v1 documents as one transaction; 422 with the report when rejected. */
  @Post('apply')
  @ApiDoc({ tag: 'catalog', summary: 'Apply ODPS, ODCS and tessera/v1 documents as one transaction', body: applyBody, responses: { 422: 'rejected: every error of every file, nothing stored' } })
  @Authorize('catalog.apply', applyDocuments)
  @HttpCode(200)
  async apply(@Body() body: unknown, @CurrentPrincipal() who: Principal): Promise<ApplyReport> {
    const request = parseBody(applyBody, body);
    const report = await this.applyService.apply({ ...request, actor: who.id });
    if (report.errors.length > 0) throw new CatalogError(CatalogErrorCode.APPLY_REJECTED, report.message, report);
    return report;
  }
}
