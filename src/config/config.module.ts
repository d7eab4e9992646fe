import { DynamicModule, Global, Module } from '@nestjs/common';
import { TesseraConfig } from './tessera-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: TesseraConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: TesseraConfig, useValue: config }], exports: [TesseraConfig] };
  }
}
