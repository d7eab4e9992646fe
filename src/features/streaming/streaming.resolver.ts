import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { StreamSourceModel } from './stream-source.model';
import { StreamingService } from './streaming.service';

@Resolver(() => StreamSourceModel)
export class StreamingResolver {
  constructor(private readonly streaming: StreamingService) {}

  @Query(() => [StreamSourceModel], { description: 'Applied stream sources with their consumer state on this replica.' })
  @Authorize('jobs.read')
  streamSources(): Promise<StreamSourceModel[]> {
    return this.streaming.list();
  }

  @Mutation(() => StreamSourceModel, { description: 'Stops consuming the source on every replica (stored: restarts keep it); messages wait in the stream (lag grows).' })
  @Authorize('features.ingest')
  pauseStreamSource(@Args('name') name: string, @CurrentPrincipal() who: Principal): Promise<StreamSourceModel> {
    return this.streaming.pause(name, who.id);
  }

  @Mutation(() => StreamSourceModel, { description: 'Consumes the source again, on every replica, from where it stopped.' })
  @Authorize('features.ingest')
  resumeStreamSource(@Args('name') name: string, @CurrentPrincipal() who: Principal): Promise<StreamSourceModel> {
    return this.streaming.resume(name, who.id);
  }
}
