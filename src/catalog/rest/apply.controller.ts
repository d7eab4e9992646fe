import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';
import { ApplyService } from '../apply/apply.service';
import { ApplyReport } from '../apply/apply-report';
import { CatalogError, CatalogErrorCode } from '../catalog-error';

export const MAX_FILES_PER_APPLY = 5000;

const applyBody = z.strictObject({
  files: z
    .array(z.strictObject({ path: z.string().min(1).max(1024), content: z.string() }))
    .min(1, 'at least one file is required')
    .max(MAX_FILES_PER_APPLY, `at most ${MAX_FILES_PER_APPLY} files per apply`),
  dryRun: z.boolean().default(false),
});

@Controller('v1/contracts')
export class ApplyController {
  constructor(private readonly applyService: ApplyService) {}

  /** Applies ODPS, ODCS and tessera/v1 documents as one transaction; 422 with the report when rejected. */
  @Post('apply')
  @HttpCode(200)
  async apply(@Body() body: unknown): Promise<ApplyReport> {
    const request = parseBody(applyBody, body);
    const report = await this.applyService.apply(request);
    if (report.errors.length > 0) throw new CatalogError(CatalogErrorCode.APPLY_REJECTED, report.message, report);
    return report;
  }
}
