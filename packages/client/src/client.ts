import type { OnlineFeaturesAnswer } from './assemble';
import type { ModelBundle } from './bundle';
import type { TypedDocumentString } from './gql/graphql';
import { segment, TesseraError, Transport, type ClientOptions } from './http';
import type { ModelVersionSummary, OnlineFeaturesRequest, PredictAnswer, PredictRequest } from './rest';

/** Typed calls of a Tessera service: REST (Feast-compatible routes, models) and GraphQL. */
export class TesseraClient {
  readonly transport: Transport;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
  }

  onlineFeatures(req: OnlineFeaturesRequest): Promise<OnlineFeaturesAnswer> {
    return this.transport.json('POST', '/get-online-features', req);
  }

  predict(name: string, req: PredictRequest): Promise<PredictAnswer> {
    return this.transport.json('POST', `/v1/models/${segment(name)}/predict`, req);
  }

  models(): Promise<{ models: ModelVersionSummary[] }> {
    return this.transport.json('GET', '/v1/models');
  }

  model(name: string, version: string): Promise<ModelVersionSummary> {
    return this.transport.json('GET', `/v1/models/${segment(name)}/versions/${segment(version)}`);
  }

  /** Without a version: the version predict answers with (deployment production, else production stage). */
  bundle(name: string, version?: string): Promise<ModelBundle> {
    const path = version ? `/v1/models/${segment(name)}/versions/${segment(version)}/bundle` : `/v1/models/${segment(name)}/bundle`;
    return this.transport.json('GET', path);
  }

  /** Runs a generated operation (see operations.ts); GraphQL errors become a TesseraError with the first error's code. */
  async graphql<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const answer = await this.transport.json<{ data?: TResult; errors?: { message: string; extensions?: { code?: string; details?: { field: string; reason: string }[] } }[] }>('POST', '/graphql', {
      query: document.toString(),
      variables,
    });
    const first = answer.errors?.[0];
    if (first) throw new TesseraError(200, first.extensions?.code ?? 'GRAPHQL_ERROR', first.message, first.extensions?.details ?? []);
    return answer.data as TResult;
  }
}
