import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/**
 * One observation per answered request, labelled with the route pattern (`/v1/models/:name/predict`,
 * not the URL) so label values stay bounded; unmatched URLs share one label.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MetricsService): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
