import { Global, Module } from '@nestjs/common';
import { PortEvents } from './port-events';

/** In-process events shared by every module. */
@Global()
@Module({ providers: [PortEvents], exports: [PortEvents] })
export class EventsModule {}
