import { Global, Module } from '@nestjs/common';
import { PortEvents } from './port-events';
import { RunEvents } from './run-events';

/** In-process events shared by every module. */
@Global()
@Module({ providers: [PortEvents, RunEvents], exports: [PortEvents, RunEvents] })
export class EventsModule {}
