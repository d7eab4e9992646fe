import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

@ObjectType('QualityRuleResult', { description: 'One ODCS quality rule evaluated in a run.' })
export class QualityRuleResultModel {
  @Field({ description: 'Where the rule is declared in the contract, e.g. schema[0].properties[1].quality[0].' }) path!: string;
  @Field({ description: 'ODCS element the rule is about: table or table.column.' }) element!: string;
  @Field(() => String, { nullable: true, description: 'The rule id, when the contract gives one.' }) ruleId!: string | null;
  @Field({ description: 'library, sql, skipped (text and custom rules) or invalid (a declaration Tessera cannot run).' }) kind!: string;
  @Field(() => String, { nullable: true, description: 'Library metric (nullValues, missingValues, invalidValues, duplicateValues, rowCount).' }) metric!: string | null;
  @Field(() => String, { nullable: true, description: 'SQL of a sql rule, as declared.' }) query!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true }) dimension!: string | null;
  @Field(() => String, { nullable: true }) severity!: string | null;
  @Field({ description: 'Whether a failure rejects an ingest (severity error, critical, blocker or fatal).' }) blocking!: boolean;
  @Field(() => String, { nullable: true }) operator!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: "The operator's operand (number, or [low, high])." }) threshold!: unknown;
  @Field({ description: 'rows or percent (of the table rows).' }) unit!: string;
  @Field(() => Float, { nullable: true, description: 'Measured value in the unit; null when nothing could be measured.' }) measured!: number | null;
  @Field({ description: 'passed, failed, error or skipped.' }) status!: string;
  @Field() message!: string;
}

@ObjectType('QualityRun', { description: "One evaluation of an output port's quality rules against its offline table." })
export class QualityRunModel {
  @Field(() => ID) id!: string;
  @Field() productId!: string;
  @Field() port!: string;
  @Field(() => Int) major!: number;
  @Field() contractId!: string;
  @Field() contractVersion!: string;
  @Field({ description: 'ingest, schedule or api.' }) trigger!: string;
  @Field() startedAt!: Date;
  @Field() finishedAt!: Date;
  @Field({ description: 'passed; warned (only non-blocking rules failed); failed (a blocking rule failed or could not run).' }) outcome!: string;
  @Field(() => Boolean, { nullable: true, description: 'Ingest runs: whether the batch was stored.' }) ingestAccepted!: boolean | null;
  @Field(() => Int) passedCount!: number;
  @Field(() => Int) failedCount!: number;
  @Field(() => Int) errorCount!: number;
  @Field(() => Int) skippedCount!: number;
  @Field(() => [QualityRuleResultModel]) results!: QualityRuleResultModel[];
}
