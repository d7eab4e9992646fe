import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toTesseraError } from './to-tessera-error';

/** Every REST error leaves as `{"error": {code, message, details}}` with the code's HTTP status. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception; // Apollo formats GraphQL errors itself.
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { error, unexpected } = toTesseraError(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply.status(error.surface.http).send(error.toBody());
  }
}
