import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Kind } from 'graphql';
import { MetricsService, secondsSince } from './metrics.service';

/**
 * Times every GraphQL operation. Labelled by the first root field (bounded by the schema), not the
 * client-chosen operation name (unbounded).
 */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: MetricsService) {}

  async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const start = process.hrtime.bigint();
    const metrics = this.metrics;
    return {
      async willSendResponse(ctx: GraphQLRequestContextWillSendResponse<Record<string, unknown>>): Promise<void> {
        const op = ctx.operation;
        const first = op?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
        const rootField = first && first.kind === Kind.FIELD ? first.name.value : 'unparsed';
        const body = ctx.response.body;
        const failed = body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0;
        metrics.graphqlDuration.observe({ operation_type: op?.operation ?? 'unknown', root_field: rootField, outcome: failed ? 'error' : 'ok' }, secondsSince(start));
      },
    };
  }
}
